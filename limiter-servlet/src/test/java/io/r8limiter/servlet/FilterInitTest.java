package io.r8limiter.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
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
                        + " redis-sentinel-master) or redis-cluster-nodes, but 0 were given"
            })
    void badInitParam_failsInit_namingIt_c07(String param, String value, String message) {
        Map<String, String> params = valid();
        params.put(param, value);
        RateLimitFilter filter = new RateLimitFilter();

        assertThatThrownBy(() -> filter.init(config("api", params)))
                .isInstanceOf(ServletException.class)
                .hasMessage("rate-limit filter 'api': " + message);
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
