package io.r8limiter.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Init-params are checked in {@code init}: a bad or missing value fails it, naming the init-param. */
class FilterInitTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "capacity|0|init-param capacity must be a positive whole number but was '0'",
                "capacity|-1|init-param capacity must be a positive whole number but was '-1'",
                "capacity|99999999999999999999|init-param capacity must be a positive whole number but was"
                        + " '99999999999999999999'",
                "capacity|ten|init-param capacity must be a positive whole number but was 'ten'",
                "capacity|1.5|init-param capacity must be a positive whole number but was '1.5'",
                "capacity|''|init-param capacity is required",
                "refill-tokens|0|init-param refill-tokens must be a positive whole number but was '0'",
                "refill-period|0|init-param refill-period must be a positive duration such as 500ms, 1s, 1m or PT1M"
                        + " but was '0'",
                "refill-period|-1000ms|init-param refill-period must be a positive duration such as 500ms, 1s, 1m or"
                        + " PT1M but was '-1000ms'",
                "refill-period|soon|init-param refill-period must be a positive duration such as 500ms, 1s, 1m or PT1M"
                        + " but was 'soon'",
                "refill-period|31d|init-param limit 1 (capacity=10, refill-tokens=10, refill-period=31d) is invalid:"
                        + " refillPeriod must be between 1ms and 30 days but was 2678400000ms (PT744H)",
                "key|cookie:sid|init-param key is invalid: key must be ip, header:NAME, query:NAME, principal or"
                        + " class:FQCN but was 'cookie:sid'",
                "missing-key|ignore|init-param missing-key is invalid: missing-key must be client-ip, skip or reject"
                        + " but was 'ignore'",
                "trusted-proxies|proxy.example.com|init-param trusted-proxies is invalid: trusted proxy must be an IP"
                        + " address or CIDR block (such as 10.0.0.0/8) but was 'proxy.example.com'",
                "headers-on-allowed|yes|init-param headers-on-allowed must be true or false but was 'yes'",
                "backend|mongo|init-param backend must be one of memory, redis but was 'mongo'",
                "failure-mode|maybe|init-param failure-mode must be one of open, closed, local but was 'maybe'",
                "cost|11|init-param cost must be at most the smallest capacity 10 but was 11",
                "refil-period|1s|init-param refil-period is not known; the known ones are backend, capacity, cost,"
                        + " failure-mode, headers-on-allowed, key, key-prefix, memory-max-keys, missing-key, policy,"
                        + " redis-cluster-nodes, redis-password, redis-sentinel-master, redis-sentinels, redis-timeout,"
                        + " redis-url, redis-user, refill-period, refill-tokens, shadow, trusted-proxies",
                "refill-tokens|1, 2|init-params capacity, refill-tokens and refill-period must list as many values"
                        + " each (one per limit) but had 1, 2 and 1",
                "backend|redis|backend redis needs exactly one of the init-params redis-url, redis-sentinels (with"
                        + " redis-sentinel-master) or redis-cluster-nodes, but 0 were given",
                "refill-period|999999999999999d|init-param refill-period is too long for a duration:"
                        + " '999999999999999d'",
                "refill-period|PT9999999999999999H|init-param refill-period is too long for a duration:"
                        + " 'PT9999999999999999H'",
                "redis-timeout|30d|init-param redis-timeout must be between 1ms and 2147483647ms but was '30d'",
                "redis-timeout|PT0.0005S|init-param redis-timeout must be between 1ms and 2147483647ms but was"
                        + " 'PT0.0005S'",
                "key-prefix|{a}|init-param key-prefix must not contain braces but was '{a}'"
            })
    void badInitParam_failsInit_namingIt_c07(String param, String value, String message) {
        Map<String, String> params = valid();
        params.put(param, value);
        RateLimitFilter filter = new RateLimitFilter();

        assertThatThrownBy(() -> filter.init(config("api", params)))
                .isInstanceOf(ServletException.class)
                .hasMessage("rate-limit filter 'api': " + message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "redis-url|redis://127.0.0.1:99999|init-param redis-url must have a port from 1 to 65535 but was"
                        + " 'redis://127.0.0.1:99999'",
                "redis-url|redis://u:secret@127.0.0.1:6/-1|init-param redis-url must end with a database number, if"
                        + " any, but was 'redis://***@127.0.0.1:6/-1'",
                "redis-sentinel-master|mymaster|init-param redis-sentinel-master needs redis-sentinels, but was given"
                        + " with redis-url"
            })
    void badRedisParam_failsInit_namingIt(String param, String value, String message) {
        Map<String, String> params = valid();
        params.put("backend", "redis");
        params.put("redis-url", "redis://127.0.0.1:6");
        params.put(param, value);

        assertThatThrownBy(() -> new RateLimitFilter().init(config("api", params)))
                .isInstanceOf(ServletException.class)
                .hasMessage("rate-limit filter 'api': " + message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"redis-sentinels|no Sentinel of", "redis-cluster-nodes|no node of"})
    void unreachableSentinelsOrClusterNodes_failInit_namingTheParamAndTheNodes_evenWhenOpen(String param, String what)
            throws IOException {
        // Jedis must learn the master or the slot map when it is built, so it threw its own exception and the web
        // application failed to deploy with nothing naming the init-param; the filter cannot start degraded there.
        String nodes = "127.0.0.1:" + unusedPort() + ", 127.0.0.1:" + unusedPort();
        Map<String, String> params = valid();
        params.put("backend", "redis");
        params.put("failure-mode", "open");
        params.put("redis-timeout", "300ms");
        params.put(param, nodes);
        params.put("redis-sentinel-master", param.equals("redis-sentinels") ? "mymaster" : null);

        assertThatThrownBy(() -> new RateLimitFilter().init(config("api", params)))
                .isInstanceOf(ServletException.class)
                .hasMessageStartingWith("rate-limit filter 'api': init-param " + param + ": " + what + " " + nodes)
                .hasMessageContaining("within redis-timeout 300ms");
    }

    @Test
    void hostileValuesOfEveryInitParam_eitherWorkOrFailInit_namingTheParam() throws IOException {
        // Overflowing durations and timeouts escaped as ArithmeticException and a braced key-prefix named the Java
        // builder field, so the deployer could not tell which init-param was wrong.
        String dead = "127.0.0.1:" + unusedPort();
        List<String> hostile = List.of(
                "0",
                "-1",
                "99999999999999999999",
                "9223372036854775807",
                "999999999999999d",
                "PT9999999999999999H",
                "PT0.0001S",
                "{x}",
                "a b",
                "x".repeat(300),
                "redis://h:99999",
                "redis://h/-1",
                ":0",
                "h:70000",
                "1,2");

        for (String param : FilterSettings.PARAMS) {
            for (String value : hostile) {
                Map<String, String> params = valid();
                params.putAll(redisBase(param, dead));
                params.put(param, value);
                RateLimitFilter filter = new RateLimitFilter();
                try {
                    filter.init(config("api", params));
                    filter.destroy();
                } catch (ServletException e) {
                    assertThat(e.getMessage()).as(param + "=" + value).contains(param);
                }
            }
        }
    }

    @Test
    void validParams_buildTheNamedPolicy_withSpringStyleDurations() throws ServletException {
        Map<String, String> params = valid();
        params.put("capacity", "10, 1000");
        params.put("refill-period", "500ms, PT24H");
        params.put("policy", "orders");
        RateLimitFilter filter = new RateLimitFilter();

        filter.init(config("api", params));

        assertThat(filter.policy()).isEqualTo("orders");
        assertThat(filter.limiter().policies().require("orders").limits())
                .extracting(l -> l.refillPeriod())
                .containsExactly(Duration.ofMillis(500), Duration.ofDays(1));
        filter.destroy();
    }

    @Test
    void capacityZero_inWebXml_keepsTheApplicationFromStarting_c07() {
        assertThatThrownBy(() -> JettyWebApp.start(Path.of("src/test/resources/webapp-bad")))
                .rootCause()
                .hasMessageContaining("init-param capacity must be a positive whole number but was '0'");
    }

    @Test
    void durations_acceptSpringAndIsoForms() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1S")).isEqualTo(Duration.ofSeconds(1));
        assertThat(Durations.parse("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("1500")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("pt1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("1 minute")).isNull();
        assertThat(Durations.parse("1.5s")).isNull();
    }

    /** What a redis-* init-param needs beside it to be read: the backend, and one way to find Redis. */
    private static Map<String, String> redisBase(String param, String deadServer) {
        if (!param.startsWith("redis-")) {
            return Map.of();
        }
        return switch (param) {
            case "redis-url", "redis-cluster-nodes" -> Map.of("backend", "redis");
            case "redis-sentinels" -> Map.of("backend", "redis", "redis-sentinel-master", "mymaster");
            default -> Map.of("backend", "redis", "redis-url", "redis://" + deadServer);
        };
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Map<String, String> valid() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("capacity", "10");
        params.put("refill-period", "1s");
        return params;
    }

    private static FilterConfig config(String name, Map<String, String> params) {
        return new FilterConfig() {
            @Override
            public String getFilterName() {
                return name;
            }

            @Override
            public ServletContext getServletContext() {
                return null;
            }

            @Override
            public String getInitParameter(String key) {
                return params.get(key);
            }

            @Override
            public Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(params.keySet());
            }
        };
    }
}
