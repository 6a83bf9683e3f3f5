package io.r8limiter.bench.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one {@link OpenLoop} run, read from {@code --name=value} arguments.
 *
 * <p>{@code {n}} in the target or in a header value stands for the user of the request: request {@code i} is sent
 * for user {@code i % users}. Bad input fails with an {@link IllegalArgumentException} naming the argument.
 *
 * @since 0.1
 */
record LoadSettings(
        String host,
        int port,
        String target,
        String method,
        double rate,
        Duration duration,
        Duration warmup,
        int connections,
        int users,
        List<String> headers,
        Duration timeout,
        Duration overrun) {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    static final String USAGE = "usage: OpenLoop --url=http://host:port/path?user_id=u{n} --rate=REQUESTS_PER_SECOND"
            + " [--method=GET] [--duration=30s] [--warmup=0s] [--connections=16] [--users=100]"
            + " [--header='X-User: u{n}']... [--timeout=10s] [--overrun=10s]";

    static LoadSettings parse(String... args) {
        String url = null;
        String method = "GET";
        double rate = 0;
        Duration duration = Duration.ofSeconds(30);
        Duration warmup = Duration.ZERO;
        int connections = 16;
        int users = 100;
        List<String> headers = new ArrayList<>();
        Duration timeout = Duration.ofSeconds(10);
        Duration overrun = Duration.ofSeconds(10);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("arguments look like --name=value but one was '" + arg + "'");
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (name) {
                case "url" -> url = value;
                case "method" -> method = value.toUpperCase(Locale.ROOT);
                case "rate" -> rate = positive(name, Double.parseDouble(value));
                case "duration" -> duration = duration(name, value);
                case "warmup" -> warmup = duration(name, value);
                case "connections" -> connections = (int) positive(name, Integer.parseInt(value));
                case "users" -> users = (int) positive(name, Integer.parseInt(value));
                case "header" -> headers.add(header(value));
                case "timeout" -> timeout = duration(name, value);
                case "overrun" -> overrun = duration(name, value);
                default -> throw new IllegalArgumentException("unknown argument --" + name + "; " + USAGE);
            }
        }
        if (url == null || rate == 0) {
            throw new IllegalArgumentException("--url and --rate are required; " + USAGE);
        }
        return of(url, method, rate, duration, warmup, connections, users, headers, timeout, overrun);
    }

    private static LoadSettings of(
            String url,
            String method,
            double rate,
            Duration duration,
            Duration warmup,
            int connections,
            int users,
            List<String> headers,
            Duration timeout,
            Duration overrun) {
        if (!url.startsWith("http://")) {
            throw new IllegalArgumentException("--url must start with http:// but was '" + url + "'");
        }
        String rest = url.substring("http://".length());
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String target = slash < 0 ? "/" : rest.substring(slash);
        int colon = authority.lastIndexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        int port = colon < 0 ? 80 : Integer.parseInt(authority.substring(colon + 1));
        return new LoadSettings(
                host,
                port,
                target,
                method,
                rate,
                duration,
                warmup,
                connections,
                users,
                List.copyOf(headers),
                timeout,
                overrun);
    }

    /** Requests in the whole schedule, warm-up included. */
    long scheduled() {
        return (long) (rate * (warmup.toNanos() + duration.toNanos()) / 1e9);
    }

    /** The raw request of the {@code index}-th scheduled request. */
    byte[] request(long index) {
        String user = Long.toString(index % users);
        StringBuilder text = new StringBuilder(128)
                .append(method)
                .append(' ')
                .append(target.replace("{n}", user))
                .append(" HTTP/1.1\r\nHost: ")
                .append(host)
                .append(':')
                .append(port)
                .append("\r\n");
        for (String header : headers) {
            text.append(header.replace("{n}", user)).append("\r\n");
        }
        text.append("Content-Length: 0\r\n\r\n");
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static double positive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("--" + name + " must be positive but was " + value);
        }
        return value;
    }

    private static String header(String value) {
        if (value.indexOf(':') <= 0) {
            throw new IllegalArgumentException("--header must look like 'Name: value' but was '" + value + "'");
        }
        return value.trim();
    }

    /** {@code 500ms}, {@code 30s} or {@code 2m}. */
    static Duration duration(String name, String value) {
        Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "--" + name + " must be a duration such as 500ms, 30s or 2m but was '" + value + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }
}
