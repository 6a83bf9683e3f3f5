package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.sample.Api.Answer;
import org.junit.jupiter.api.Test;

/** C19 run 5: health and Prometheus stay open for probes and scrapers, and nothing else leaks. */
class ActuatorTest extends ServiceTestBase {

    @Test
    void health_answersStatusOnlyWithProbeGroups() {
        Answer health = api.call("GET", "/actuator/health", null, null);
        Answer liveness = api.call("GET", "/actuator/health/liveness", null, null);
        Answer readiness = api.call("GET", "/actuator/health/readiness", null, null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").stringValue()).isEqualTo("UP");
        assertThat(health.json().has("components")).isFalse();
        assertThat(health.json().has("details")).isFalse();
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(readiness.status()).isEqualTo(200);
    }

    @Test
    void prometheus_isOpenAndCountsDecisions() {
        api.allow(freshUser("prom"), "r1");

        Answer scrape = api.call("GET", "/actuator/prometheus", null, null);

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("jvm_memory_used_bytes");
        assertThat(scrape.body())
                .containsPattern("r8limiter_decisions_total\\{[^}]*outcome=\"allowed\"[^}]*policy=\"default\"")
                .contains("r8limiter_backend_latency_seconds_bucket")
                .contains("r8limiter_memory_keys");
    }

    @Test
    void ratelimitEndpoint_withTheToken_showsPoliciesAndOneBucket() {
        String user = freshUser("actuator");
        api.allow(user, "r1");

        Answer summary = api.call("GET", "/actuator/ratelimit", "Bearer " + Api.TOKEN, null);
        Answer bucket = api.call("GET", "/actuator/ratelimit/default/" + user + "/r1", "Bearer " + Api.TOKEN, null);

        assertThat(summary.status()).isEqualTo(200);
        assertThat(summary.json().path("policies").findValuesAsString("name")).contains("default");
        assertThat(bucket.status()).isEqualTo(200);
        assertThat(bucket.json().path("remaining").asLong()).isEqualTo(2);
        assertThat(bucket.json().path("limit").asLong()).isEqualTo(3);
    }

    @Test
    void sensitiveEndpoints_areNotExposed() {
        for (String path : new String[] {
            "/actuator/env",
            "/actuator/beans",
            "/actuator/configprops",
            "/actuator/heapdump",
            "/actuator/threaddump",
            "/actuator/loggers",
            "/actuator/mappings",
            "/actuator/shutdown"
        }) {
            assertThat(api.call("GET", path, null, null).status()).as(path).isEqualTo(404);
            assertThat(api.call("GET", path, "Bearer SECRET", null).status())
                    .as(path)
                    .isEqualTo(404);
        }
    }

    @Test
    void ratelimitEndpoint_needsTheToken() {
        assertThat(api.call("GET", "/actuator/ratelimit", null, null).status()).isEqualTo(401);
        assertThat(api.call("POST", "/actuator/ratelimit", null, "{}").status()).isEqualTo(401);
        assertThat(api.call("DELETE", "/actuator/ratelimit/default", null, null).status())
                .isEqualTo(401);
    }
}
