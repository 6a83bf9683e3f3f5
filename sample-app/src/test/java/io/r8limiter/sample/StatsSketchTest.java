package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.stats.LocalStats;
import io.r8limiter.stats.RateLimitStats;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;

/**
 * Offender counts past the Space-Saving summary's capacity: here two keys per slice, on a clock that stands still
 * so that every decision falls into one slice. A key that took over a counter is reported with its overcount bound.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "r8limiter.admin.token=" + Api.TOKEN,
            "r8limiter.policies.default.limits[0].capacity=1",
            "r8limiter.policies.default.limits[0].refill-tokens=1",
            "r8limiter.policies.default.limits[0].refill-period=1h"
        })
class StatsSketchTest {

    @LocalServerPort
    int port;

    @Test
    void countsPastTheSummaryCapacity_sayTheyAreNotExactAndBoundTheOvercount() {
        Api api = new Api(port);
        // denials: a twice, then b once, then c once; c takes over b's counter, inheriting its count as error
        for (String user : new String[] {"a", "a", "a", "b", "b", "c", "c"}) {
            api.allow(user, "r1");
        }

        JsonNode top = api.admin("GET", "/admin/stats").json().path("top_offenders");

        assertThat(top).hasSize(2);
        assertThat(top.get(0).path("user_id").stringValue()).isEqualTo("a");
        assertThat(top.get(0).path("denied").longValue()).isEqualTo(2);
        assertThat(top.get(0).path("exact").booleanValue()).isTrue();
        assertThat(top.get(0).has("max_overcount")).isFalse();
        assertThat(top.get(1).path("user_id").stringValue()).isEqualTo("c");
        assertThat(top.get(1).path("denied").longValue()).isEqualTo(2);
        assertThat(top.get(1).path("exact").booleanValue()).isFalse();
        assertThat(top.get(1).path("max_overcount").longValue()).isEqualTo(1);
    }

    /** Stats keeping two offenders per slice, on a clock that never moves. */
    @TestConfiguration(proxyBeanMethods = false)
    static class SmallSketch {

        @Bean
        RateLimitStats smallSketch() {
            return LocalStats.builder().capacity(2).timeSource(() -> 0L).build();
        }
    }
}
