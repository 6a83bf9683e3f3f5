package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.sample.Api.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET /admin/stats}: totals, offenders most denied first, and the bounds of {@code limit}. */
class StatsEndpointTest extends ServiceTestBase {

    @Test
    void totals_countEveryDecisionOnce() {
        JsonNode before = stats(1000).path("totals");
        String user = freshUser("totals");

        for (int i = 0; i < 5; i++) {
            api.allow(user, "r1");
        }

        JsonNode after = stats(1000).path("totals");
        assertThat(after.path("allowed").longValue() - before.path("allowed").longValue())
                .isEqualTo(3);
        assertThat(after.path("denied").longValue() - before.path("denied").longValue())
                .isEqualTo(2);
        assertThat(after.path("degraded").longValue())
                .isEqualTo(before.path("degraded").longValue());
    }

    @Test
    void offenders_comeMostDeniedFirst_withExactCounts() {
        String resource = "order-" + UUID.randomUUID();
        denyTimes("one", resource, 1);
        denyTimes("three", resource, 3);
        denyTimes("two", resource, 2);

        JsonNode top = stats(1000).path("top_offenders");

        List<JsonNode> mine = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (JsonNode o : top) {
            counts.add(o.path("denied").longValue());
            if (o.path("resource").stringValue().equals(resource)) {
                mine.add(o);
            }
        }
        assertThat(counts).isSortedAccordingTo((x, y) -> Long.compare(y, x));
        assertThat(mine).extracting(o -> o.path("user_id").stringValue()).containsExactly("three", "two", "one");
        assertThat(mine).extracting(o -> o.path("denied").longValue()).containsExactly(3L, 2L, 1L);
        assertThat(mine).allSatisfy(o -> {
            assertThat(o.path("policy").stringValue()).isEqualTo("default");
            assertThat(o.path("exact").booleanValue()).isTrue();
            assertThat(o.has("max_overcount")).isFalse();
        });
    }

    @Test
    void limit_capsTheOffenders() {
        String resource = "cap-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            denyTimes("u" + i, resource, 1);
        }

        assertThat(stats(2).path("top_offenders")).hasSize(2);
        assertThat(stats(1).path("top_offenders")).hasSize(1);
        assertThat(stats(StatsController.MAX_LIMIT).path("top_offenders").size())
                .isGreaterThanOrEqualTo(3);
        assertThat(api.admin("GET", "/admin/stats").json().path("top_offenders").size())
                .isBetween(3, 50);
    }

    @Test
    void badLimits_areRejectedNamingTheValue() {
        for (String bad : List.of("0", "-1", "abc", "1001", "99999", "1.5", "", "2147483648")) {
            Answer a = api.admin("GET", "/admin/stats?limit=" + Api.enc(bad));

            assertThat(a.status()).as(bad).isEqualTo(400);
            assertThat(a.contentType()).isEqualTo("application/problem+json");
            assertThat(a.detail()).isEqualTo("limit must be an integer from 1 to 1000 but was '" + bad + "'");
        }
    }

    private JsonNode stats(int limit) {
        Answer a = api.admin("GET", "/admin/stats?limit=" + limit);
        assertThat(a.status()).isEqualTo(200);
        return a.json();
    }

    /** Spends a fresh bucket of the default policy (capacity 3), then is denied {@code denials} times. */
    private void denyTimes(String user, String resource, int denials) {
        api.reset(user, resource);
        for (int i = 0; i < 3 + denials; i++) {
            api.allow(user, resource);
        }
    }
}
