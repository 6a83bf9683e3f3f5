package io.r8limiter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.memory.MemoryBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HttpAnswerTest {

    private final AtomicLong nanos = new AtomicLong();
    private final BucketKey key = BucketKey.of("u1");

    private RateLimiter limiter(Policy... policies) {
        return RateLimiter.builder()
                .backend(new MemoryBackend(nanos::get))
                .policies(policies)
                .build();
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(millis * 1_000_000);
    }

    @Test
    void fiveRequests_onCapacityThree_reportRemainingAndPolicy_c03run4() {
        RateLimiter limiter = limiter(Policy.of("api", Limit.of(3, 3, Duration.ofSeconds(60))));
        List<HttpAnswer> answers = new ArrayList<>();

        for (int i = 0; i < 5; i++) {
            answers.add(HttpAnswer.of("api", limiter.tryConsume("api", key), true));
        }

        assertThat(answers).extracting(HttpAnswer::status).containsExactly(200, 200, 200, 429, 429);
        assertThat(answers)
                .extracting(a -> a.header("RateLimit"))
                .containsExactly(
                        "\"api\";r=2;t=20",
                        "\"api\";r=1;t=20",
                        "\"api\";r=0;t=20",
                        "\"api\";r=0;t=20",
                        "\"api\";r=0;t=20");
        assertThat(answers).extracting(a -> a.header("RateLimit-Policy")).containsOnly("\"api\";q=3;w=60");
        assertThat(answers).extracting(a -> a.header("Retry-After")).containsExactly(null, null, null, "20", "20");
        assertThat(answers).extracting(HttpAnswer::proceed).containsExactly(true, true, true, false, false);
    }

    @Test
    void denial_after50ms_advertisesTwoSeconds_c04run1() {
        RateLimiter limiter = limiter(Policy.of("p", Limit.of(1, 1, Duration.ofMillis(1500))));
        limiter.tryConsume("p", key);
        advanceMillis(50);

        HttpAnswer answer = HttpAnswer.of("p", limiter.tryConsume("p", key), true);

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.header("Retry-After")).isEqualTo("2");
        assertThat(answer.header("RateLimit")).isEqualTo("\"p\";r=0;t=2");
        assertThat(answer.body())
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                        + "\"detail\":\"rate limit of policy 'p' exceeded; retry after 2 s\","
                        + "\"retry_after_ms\":1450,\"retry_after\":2}");
    }

    @Test
    void retryAfter_belowOneSecond_isOneNeverZero_c04run2() {
        RateLimiter limiter = limiter(Policy.of("p", Limit.of(1, 1, Duration.ofMillis(1500))));
        limiter.tryConsume("p", key);
        advanceMillis(1200);
        HttpAnswer at1200 = HttpAnswer.of("p", limiter.tryConsume("p", key), true);
        advanceMillis(299);

        HttpAnswer at1499 = HttpAnswer.of("p", limiter.tryConsume("p", key), true);

        assertThat(at1200.header("Retry-After")).isEqualTo("1");
        assertThat(at1499.header("Retry-After")).isEqualTo("1");
        assertThat(at1499.body()).contains("\"retry_after_ms\":1,\"retry_after\":1}");
    }

    @Test
    void severalLimits_getOneItemEach_namedWithTheirIndex() {
        Policy policy = Policy.builder("api")
                .limit(2, 2, Duration.ofSeconds(1))
                .limit(100, 100, Duration.ofHours(1))
                .build();
        RateLimiter limiter = limiter(policy);

        HttpAnswer answer = HttpAnswer.of("api", limiter.tryConsume("api", key), true);

        assertThat(answer.header("RateLimit-Policy")).isEqualTo("\"api-0\";q=2;w=1, \"api-1\";q=100;w=3600");
        assertThat(answer.header("RateLimit")).isEqualTo("\"api-0\";r=1;t=1, \"api-1\";r=99;t=36");
    }

    @Test
    void denial_reportsTimeUntilTheRequestFits_perLimit() {
        RateLimiter limiter = limiter(Policy.builder("api")
                .limit(2, 2, Duration.ofSeconds(10))
                .limit(100, 100, Duration.ofHours(1))
                .build());
        limiter.tryConsume("api", key);
        limiter.tryConsume("api", key);

        HttpAnswer answer = HttpAnswer.of("api", limiter.tryConsume("api", key), true);

        assertThat(answer.header("RateLimit")).isEqualTo("\"api-0\";r=0;t=5, \"api-1\";r=98;t=36");
        assertThat(answer.header("Retry-After")).isEqualTo("5");
    }

    @Test
    void allowed_withHeadersOff_carriesNoFields_butDenialStillDoes() {
        RateLimiter limiter = limiter(Policy.of("p", Limit.of(1, 1, Duration.ofMinutes(1))));

        HttpAnswer allowed = HttpAnswer.of("p", limiter.tryConsume("p", key), false);
        HttpAnswer denied = HttpAnswer.of("p", limiter.tryConsume("p", key), false);

        assertThat(allowed.headers()).isEmpty();
        assertThat(allowed.body()).isNull();
        assertThat(denied.header("RateLimit")).isEqualTo("\"p\";r=0;t=60");
    }

    @Test
    void fullBucket_reportsResetZero() {
        RateLimiter limiter = limiter(Policy.of("p", Limit.of(5, 1, Duration.ofSeconds(1))));

        HttpAnswer answer = HttpAnswer.of("p", limiter.peek("p", key), true);

        assertThat(answer.header("RateLimit")).isEqualTo("\"p\";r=5;t=0");
        assertThat(answer.header("RateLimit-Policy")).isEqualTo("\"p\";q=5;w=5");
    }

    @Test
    void window_isRoundedUp_andAtLeastOneSecond() {
        RateLimiter limiter = limiter(
                Policy.of("fast", Limit.of(10, 10, Duration.ofMillis(100))),
                Policy.of("odd", Limit.of(3, 2, Duration.ofMillis(1001))));

        HttpAnswer fast = HttpAnswer.of("fast", limiter.tryConsume("fast", key), true);
        HttpAnswer odd = HttpAnswer.of("odd", limiter.tryConsume("odd", key), true);

        assertThat(fast.header("RateLimit-Policy")).isEqualTo("\"fast\";q=10;w=1");
        assertThat(fast.header("RateLimit")).isEqualTo("\"fast\";r=9;t=1");
        assertThat(odd.header("RateLimit-Policy")).isEqualTo("\"odd\";q=3;w=2");
    }

    @Test
    void degradedDecisions_carryNoRateLimitFields_c15() {
        Policy policy = Policy.of("p", Limit.of(5, 5, Duration.ofMinutes(1)));

        HttpAnswer open = HttpAnswer.of("p", Decision.degraded(policy, true), true);
        HttpAnswer closed = HttpAnswer.of("p", Decision.degraded(policy, false), true);

        assertThat(open.proceed()).isTrue();
        assertThat(open.headers()).isEmpty();
        assertThat(closed.status()).isEqualTo(429);
        assertThat(closed.headers()).containsExactly(new HttpHeader("Retry-After", "12"));
        assertThat(closed.body())
                .contains("\"detail\":\"the rate limiter is unavailable")
                .doesNotContain("Exception");
    }

    @Test
    void degradedDecisionsWithRealFigures_asLocalModeAnswers_carryTheRateLimitFields_c15() {
        // LOCAL mode decides on in-memory buckets while Redis is down; dropping every degraded decision's fields
        // hid those real figures from clients, which the OPEN/CLOSED exemption never asked for.
        Policy policy = Policy.of("p", Limit.of(5, 5, Duration.ofMinutes(1)));
        RateLimiter limiter = limiter(policy);
        for (int i = 0; i < 4; i++) {
            limiter.tryConsume("p", key);
        }

        HttpAnswer allowed = HttpAnswer.of("p", limiter.tryConsume("p", key).asDegraded(), true);
        HttpAnswer denied = HttpAnswer.of("p", limiter.tryConsume("p", key).asDegraded(), false);

        assertThat(allowed.header("RateLimit-Policy")).isEqualTo("\"p\";q=5;w=60");
        assertThat(allowed.header("RateLimit")).isEqualTo("\"p\";r=0;t=12");
        assertThat(denied.status()).isEqualTo(429);
        assertThat(denied.header("RateLimit")).isEqualTo("\"p\";r=0;t=12");
        assertThat(denied.header("Retry-After")).isEqualTo("12");
    }

    @Test
    void policyName_isEscapedInFieldsAndBody() {
        Policy policy = Policy.of("a\"b\\c\u00e9\n<x>", Limit.of(1, 1, Duration.ofSeconds(1)));
        RateLimiter limiter = limiter(policy);
        limiter.tryConsume(policy.name(), key);

        HttpAnswer answer = HttpAnswer.of(policy.name(), limiter.tryConsume(policy.name(), key), true);

        assertThat(answer.header("RateLimit-Policy")).isEqualTo("\"a\\\"b\\\\c__<x>\";q=1;w=1");
        assertThat(answer.body()).contains("policy 'a\\\"b\\\\c\\u00e9\\n\\u003cx\\u003e' exceeded");
    }

    @Test
    void json_escapesControlCharactersAndUnpairedSurrogates() {
        String quoted = Json.quote("\u0000\u001f\t\"\\\u2028\ud800x\ud83d\ude00&");

        assertThat(quoted).isEqualTo("\"\\u0000\\u001f\\t\\\"\\\\\\u2028\\ufffdx\\ud83d\\ude00\\u0026\"");
    }

    @Test
    void badRequest_isAProblemWithoutRateLimitFields() {
        HttpAnswer answer = HttpAnswer.badRequest("the request has no header x-user");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.proceed()).isFalse();
        assertThat(answer.headers()).isEmpty();
        assertThat(answer.body())
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                        + "\"detail\":\"the request has no header x-user\"}");
    }

    @Test
    void problem_rejectsNonErrorStatus() {
        assertThatThrownBy(() -> HttpAnswer.problem(200, "OK", "fine"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("problem status must be between 400 and 599 but was 200");
    }

    @Test
    void aPolicyChangedUnderTheSameName_getsItsNewFieldsOnItsFirstAnswer() {
        RateLimiter before = limiter(Policy.of("same", Limit.of(3, 3, Duration.ofSeconds(60))));
        RateLimiter after = limiter(
                Policy.of("same", Limit.of(10, 10, Duration.ofSeconds(5))),
                Policy.of("two", Limit.of(10, 10, Duration.ofSeconds(5)), Limit.of(100, 100, Duration.ofHours(1))));

        HttpAnswer first = HttpAnswer.of("same", before.tryConsume("same", key), true);
        HttpAnswer second = HttpAnswer.of("same", after.tryConsume("same", key), true);
        HttpAnswer twoLimits = HttpAnswer.of("same", after.tryConsume("two", key), true);

        assertThat(first.header("RateLimit-Policy")).isEqualTo("\"same\";q=3;w=60");
        assertThat(second.header("RateLimit-Policy")).isEqualTo("\"same\";q=10;w=5");
        assertThat(second.header("RateLimit")).isEqualTo("\"same\";r=9;t=1");
        assertThat(twoLimits.header("RateLimit-Policy")).isEqualTo("\"same-0\";q=10;w=5, \"same-1\";q=100;w=3600");
        assertThat(twoLimits.header("RateLimit")).isEqualTo("\"same-0\";r=9;t=1, \"same-1\";r=99;t=36");
    }
}
