package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.sample.Api.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** C19: the admin API and the actuator's ratelimit endpoint answer only to the bearer token, and cost no tokens. */
class AdminAuthTest extends ServiceTestBase {

    private static final String RAISE_DEFAULT =
            "{\"resource\":null,\"capacity\":1000000,\"refill_tokens\":1000000,\"refill_period_ms\":1000}";

    // C19 runs 1 and 2: without the right bearer token every admin call is refused and changes nothing.
    @Test
    void adminCalls_withoutTheToken_areRefusedAndChangeNothing() {
        for (String auth : new String[] {
            null, "Bearer WRONG", "Bearer secret", "Basic U0VDUkVUOlNFQ1JFVA==", "SECRET", "Bearer", "Bearer SECRETX"
        }) {
            for (Answer a : adminCalls(auth)) {
                assertThat(a.status()).as("%s", auth).isEqualTo(401);
                assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer");
                assertThat(a.contentType()).isEqualTo("application/problem+json");
                assertThat(a.json().path("status").intValue()).isEqualTo(401);
            }
        }

        String user = freshUser("c19");
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(api.allow(user, "r1"));
        }
        assertThat(answers).filteredOn(Answer::allowed).hasSize(3);
        assertThat(answers).filteredOn(a -> !a.allowed()).hasSize(17);
    }

    // C19 run 3: the right token opens every admin call.
    @Test
    void adminCalls_withTheToken_succeed() {
        List<Answer> answers = adminCalls("Bearer SECRET");

        assertThat(answers).extracting(Answer::status).containsExactly(200, 200, 200, 200, 204);
        assertThat(answers.get(2).json().path("capacity").longValue()).isEqualTo(1_000_000);
    }

    @Test
    void pathSpellings_cannotSlipPastTheGuard() {
        for (String path : List.of(
                "/admin/stats",
                "//admin/stats",
                "/admin//stats",
                "/%61dmin/stats",
                "/admin;x=1/stats",
                "/admin/stats/",
                "/./admin/stats",
                "/allow/../admin/stats",
                "/actuator/ratelimit",
                "/actuator//ratelimit")) {
            Answer a = api.call("GET", path, null, null);

            assertThat(a.status()).as(path).isIn(400, 401, 404);
            assertThat(a.body()).as(path).doesNotContain("top_offenders").doesNotContain("totals");
        }
    }

    // C19 run 6: admin calls are never charged to the policies they manage, so an operator cannot lock himself out.
    @Test
    void adminCalls_areNotCharged() {
        api.putPolicy(null, 1, 1, 60_000);

        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(api.admin("GET", "/admin/policy"));
        }

        assertThat(answers).extracting(Answer::status).containsOnly(200);
    }

    private List<Answer> adminCalls(String authorization) {
        return List.of(
                api.call("GET", "/admin/stats", authorization, null),
                api.call("GET", "/admin/policy", authorization, null),
                api.call("PUT", "/admin/policy", authorization, RAISE_DEFAULT),
                api.call("GET", "/admin/tokens?user_id=u1&resource=r1", authorization, null),
                api.call("DELETE", "/admin/tokens?user_id=u1&resource=r1", authorization, null));
    }
}
