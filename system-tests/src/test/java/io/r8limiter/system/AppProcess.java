package io.r8limiter.system;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One decision-service process ({@code sample-app.jar}) on a free port, its standard output and error captured in a
 * file under {@code target/app-logs} so tests can read every log line it wrote.
 *
 * <p>The JVM runs with C1 only and a serial collector: startup on a shared two-core machine dominates the suite's
 * time, and none of the scenarios measures peak throughput.
 */
final class AppProcess implements AutoCloseable {

    static final String ADMIN_TOKEN = "system-test-admin-token";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private AppProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts a process with the given {@code --key=value} flags (besides port and admin token) without waiting. */
    static AppProcess launch(String name, List<String> flags) {
        List<String> withToken = new ArrayList<>(flags);
        withToken.add(0, "--r8limiter.admin.token=" + ADMIN_TOKEN);
        return launchWith(name, withToken);
    }

    /** Starts a process with no admin token configured, so that it makes its own, and waits until it is ready. */
    static AppProcess startWithoutAdminToken(String name, String... flags) {
        AppProcess app = launchWith(name, List.of(flags));
        app.awaitReady();
        return app;
    }

    private static AppProcess launchWith(String name, List<String> flags) {
        int port = freePort();
        Path log = logDirectory().resolve(name + "-" + SEQUENCE.incrementAndGet() + ".log");
        List<String> command = new ArrayList<>(List.of(
                javaBinary(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-Xss512k",
                "-jar",
                jar().toString(),
                "--server.port=" + port,
                // Tomcat closes a kept-alive connection every 100 requests and after 60 s idle; the JDK client now
                // and then sends a POST on such a connection as it closes and fails it without a retry. Not a
                // server fault, so the test apps keep connections open for good.
                "--server.tomcat.max-keep-alive-requests=-1",
                "--server.tomcat.keep-alive-timeout=-1"));
        command.addAll(flags);
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new AppProcess(name, port, log, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Starts a process and waits until its readiness group answers UP. */
    static AppProcess start(String name, String... flags) {
        AppProcess app = launch(name, List.of(flags));
        app.awaitReady();
        return app;
    }

    /** Starts several processes at once (their startups overlap) and waits for all to be ready. */
    static List<AppProcess> startAll(int count, String name, String... flags) {
        List<AppProcess> apps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            apps.add(launch(name + "-" + (char) ('a' + i), List.of(flags)));
        }
        apps.forEach(AppProcess::awaitReady);
        return apps;
    }

    void awaitReady() {
        Http http = Http.client();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail(40));
            }
            Http.Reply reply = http.tryGet(uri("/actuator/health/readiness"));
            if (reply != null && reply.status() == 200) {
                return;
            }
            sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException(name + " not ready after " + READY_TIMEOUT + ":\n" + logTail(40));
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Every line the process has written so far. */
    List<String> logLines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logTail(int lines) {
        List<String> all = logLines();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Stops the process as an orchestrator would (SIGTERM, graceful shutdown), killing it if it lingers. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return name + "@" + port;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Path jar() {
        Path jar = Path.of(requireNonNull(
                System.getProperty("r8limiter.sample.jar"), "system property r8limiter.sample.jar (set by the pom)"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build sample-app first (./mvnw package)");
        }
        return jar;
    }

    private static Path logDirectory() {
        Path dir = Path.of(System.getProperty("r8limiter.system.logs", "target/app-logs"));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A free port in 32000-32699: below the ephemeral range and above the test kit's Redis ports. */
    private static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(32_000, 32_700);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port found");
    }
}
