package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.sample.Api.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code POST /allow}: the decision body, its header fields, and the cases that reach it. */
class AllowEndpointTest extends ServiceTestBase {

    @Test
    void allow_answersSnakeCaseDecisionWithRateLimitFields() {
        String user = freshUser("alice");

        Answer a = api.allow(user, "search");

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("application/json");
        assertThat(a.json().propertyNames())
                .containsExactly("allowed", "remaining", "reset_ms", "retry_after_ms", "limit");
        assertThat(a.body())
                .isEqualTo("{\"allowed\":true,\"remaining\":2,\"reset_ms\":20000,\"retry_after_ms\":0,\"limit\":3}");
        assertThat(a.header("RateLimit-Policy")).isEqualTo("\"default\";q=3;w=60");
        assertThat(a.header("RateLimit")).isEqualTo("\"default\";r=2;t=20");
    }

    @Test
    void allow_withoutResource_usesTheDefaultPolicyAndCostOne() {
        Answer a = api.allowRaw("user_id=" + Api.enc(freshUser("bob")));

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.remaining()).isEqualTo(2);
        assertThat(a.limit()).isEqualTo(3);
    }

    // C03 run 3: remaining is counted after the debit and stops at zero; a denial is still a 200.
    @Test
    void remaining_countsDownToZeroAndStaysThere() {
        api.putPolicy("r1", 3, 3, 60_000);
        String user = freshUser("u1");

        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(api.allow(user, "r1"));
        }

        assertThat(answers).extracting(Answer::status).containsOnly(200);
        assertThat(answers).extracting(Answer::allowed).containsExactly(true, true, true, false, false);
        assertThat(answers).extracting(Answer::remaining).containsExactly(2L, 1L, 0L, 0L, 0L);
        assertThat(answers).extracting(Answer::limit).containsOnly(3L);
        assertThat(answers.subList(0, 3)).extracting(Answer::retryAfter).containsOnly(0L);
        assertThat(answers.subList(3, 5)).extracting(Answer::retryAfter).allSatisfy(r -> assertThat(r)
                .isBetween(19_000L, 20_000L));
        assertThat(answers)
                .extracting(a -> a.header("RateLimit"))
                .containsExactly(
                        "\"r1\";r=2;t=20", "\"r1\";r=1;t=20", "\"r1\";r=0;t=20", "\"r1\";r=0;t=20", "\"r1\";r=0;t=20");
        assertThat(answers).extracting(a -> a.header("RateLimit-Policy")).containsOnly("\"r1\";q=3;w=60");
        assertThat(answers).extracting(a -> a.header("Retry-After")).containsExactly(null, null, null, "20", "20");
        Answer peek = api.admin("GET", "/admin/tokens?user_id=" + Api.enc(user) + "&resource=r1");
        assertThat(peek.json().path("remaining").longValue()).isZero();
    }

    // C05 run 6: a cost above the capacity is a client error, answered before any state changes.
    @Test
    void costAboveCapacity_isRejectedAndChangesNothing() {
        api.putPolicy("r1", 3, 3, 2_000);
        String user = freshUser("u1");

        Answer tooMuch = api.allowRaw("user_id=" + user + "&resource=r1&cost=4");
        Answer next = api.allowRaw("user_id=" + user + "&resource=r1&cost=1");

        assertThat(tooMuch.status()).isEqualTo(400);
        assertThat(tooMuch.contentType()).isEqualTo("application/problem+json");
        assertThat(tooMuch.detail()).contains("cost").contains("4").contains("capacity 3");
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.allowed()).isTrue();
        assertThat(next.remaining()).isEqualTo(2);
        assertThat(next.limit()).isEqualTo(3);
    }

    @Test
    void costEqualToCapacity_isAllowed() {
        Answer a = api.allowRaw("user_id=" + freshUser("u") + "&cost=3");

        assertThat(a.allowed()).isTrue();
        assertThat(a.remaining()).isZero();
    }

    // C06 run 4: no spelling of a non-positive or non-integer cost reaches the arithmetic and mints tokens.
    @Test
    void invalidCosts_areRejectedAndMintNothing() {
        api.putPolicy("r1", 5, 5, 60_000);
        String user = freshUser("u1");
        for (int i = 0; i < 5; i++) {
            api.allow(user, "r1");
        }

        List<Answer> bad = new ArrayList<>();
        for (String cost : List.of("-3", "0", "abc", "1.5", "", "99999999999999999999", "9223372036854775808")) {
            bad.add(api.allowRaw("user_id=" + user + "&resource=r1&cost=" + Api.enc(cost)));
        }
        Answer last = api.allowRaw("user_id=" + user + "&resource=r1&cost=1");

        assertThat(bad).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.contentType()).isEqualTo("application/problem+json");
            assertThat(a.detail()).startsWith("cost must be a positive integer but was");
        });
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.allowed()).isFalse();
        assertThat(last.remaining()).isZero();
        assertThat(last.retryAfter()).isBetween(11_000L, 12_000L);
    }

    // C08 run 1: capacities beyond the int range survive the JSON edge in both directions.
    @Test
    void largeQuota_isCountedExactly() {
        Answer put = api.admin(
                "PUT",
                "/admin/policy",
                "{\"resource\":\"daily\",\"capacity\":3000000000,"
                        + "\"refill_tokens\":3000000000,\"refill_period_ms\":86400000}");
        Answer list = api.admin("GET", "/admin/policy");
        Answer a = api.allow(freshUser("u1"), "daily");

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().path("capacity").longValue()).isEqualTo(3_000_000_000L);
        assertThat(list.body()).contains("\"capacity\":3000000000");
        assertThat(a.body())
                .isEqualTo("{\"allowed\":true,\"remaining\":2999999999,\"reset_ms\":1,\"retry_after_ms\":0,"
                        + "\"limit\":3000000000}");
    }

    // C08 run 2: a 1-per-hour refill reports the whole hour as the wait.
    @Test
    void slowRefill_reportsTheHourLongWait() {
        api.putPolicy("hourly", 1, 1, 3_600_000);
        String user = freshUser("u1");

        Answer first = api.allow(user, "hourly");
        Answer second = api.allow(user, "hourly");

        assertThat(first.allowed()).isTrue();
        assertThat(first.json().path("reset_ms").longValue()).isEqualTo(3_600_000);
        assertThat(second.allowed()).isFalse();
        assertThat(second.retryAfter()).isBetween(3_598_000L, 3_600_000L);
    }

    // C09: distinct (user, resource) pairs never share a bucket, whatever separators or braces they contain.
    @Test
    void keyParts_neverCollide() {
        String x255 = "x".repeat(255);
        String[][] pairs = {
            {"a:b", "c", "a", "b:c"},
            {"u1", "r1", "u1", "r2"},
            {"tess_live_0001", "r1", "tess_live_0002", "r1"},
            {x255 + "1", "r1", x255 + "2", "r1"},
            {"a\\", ":c", "a", "\\:c"},
            {"{a}", "b", "a", "{b}"}
        };
        for (String[] p : pairs) {
            api.reset(p[0], p[1]);
            api.reset(p[2], p[3]);
            for (int i = 0; i < 3; i++) {
                api.allow(p[0], p[1]);
            }

            Answer second = api.allow(p[2], p[3]);

            assertThat(second.allowed()).as("pair %s", String.join(" | ", p)).isTrue();
            assertThat(second.remaining()).as("pair %s", String.join(" | ", p)).isEqualTo(p[3].equals("r2") ? 9 : 2);
        }
    }

    @Test
    void missingOrBlankUser_isRejected() {
        Answer missing = api.post("/allow?resource=r1");
        Answer blank = api.allowRaw("user_id=%20%20");
        Answer empty = api.allowRaw("user_id=");

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.detail()).isEqualTo("user_id is required");
        assertThat(blank.detail()).isEqualTo("user_id must not be blank");
        assertThat(empty.detail()).isEqualTo("user_id must not be blank");
        assertThat(blank.contentType()).isEqualTo("application/problem+json");
    }

    // Spring joins a repeated parameter with commas: user_id=a&user_id=b was decided as the user "a,b".
    // A repeat of user_id, resource or cost is a client error, and charges no bucket.
    @Test
    void repeatedParameters_areRejectedNamingTheParameter() {
        String a = freshUser("a");
        String b = freshUser("b");
        String[][] cases = {
            {"user_id", "user_id=" + a + "&user_id=" + b + "&resource=r1"},
            {"resource", "user_id=" + a + "&resource=r1&resource=r2"},
            {"cost", "user_id=" + a + "&resource=r1&cost=1&cost=2"},
            {"user_id", "user_id=" + a + "&user_id=" + a + "&user_id=" + a}
        };

        for (String[] c : cases) {
            Answer answer = api.allowRaw(c[1]);

            assertThat(answer.status()).as(c[1]).isEqualTo(400);
            assertThat(answer.contentType()).isEqualTo("application/problem+json");
            assertThat(answer.detail()).as(c[1]).startsWith(c[0] + " must be given at most once but was given ");
        }
        assertThat(api.allow(a + "," + b, "r1").remaining()).isEqualTo(2);
        assertThat(api.allow(a, "r1").remaining()).isEqualTo(2);
        assertThat(api.allow(a, "r1,r2").remaining()).isEqualTo(2);
    }

    @Test
    void repeatedParameters_inAdminCalls_areRejected() {
        for (String path : List.of(
                "/admin/tokens?user_id=a&user_id=b",
                "/admin/tokens?user_id=a&resource=r1&resource=r2",
                "/admin/stats?limit=1&limit=2")) {
            Answer get = api.admin("GET", path);

            assertThat(get.status()).as(path).isEqualTo(400);
            assertThat(get.detail()).as(path).contains("must be given at most once but was given 2 times");
        }
        assertThat(api.admin("DELETE", "/admin/tokens?user_id=a&user_id=b").status())
                .isEqualTo(400);
        assertThat(api.admin("DELETE", "/admin/policy?resource=r1&resource=r2").status())
                .isEqualTo(400);
    }

    @Test
    void unknownPathsAndMethods_answerProblemsNotServerErrors() {
        assertThat(api.call("GET", "/allow?user_id=u", null, null).status()).isEqualTo(405);
        assertThat(api.post("/nowhere").status()).isEqualTo(404);
        assertThat(api.post("/nowhere").contentType()).isEqualTo("application/problem+json");
    }
}
