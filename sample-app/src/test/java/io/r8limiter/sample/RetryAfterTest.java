package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.sample.Api.Answer;
import org.junit.jupiter.api.Test;

/** C04 run 5: the advertised wait is never zero, and waiting exactly that long is enough. */
class RetryAfterTest extends ServiceTestBase {

    @Test
    void denial_advertisesAWaitThatIsEnough() throws InterruptedException {
        api.putPolicy("p", 1, 1, 1_500);
        String user = freshUser("u");

        api.allow(freshUser("warm-up"), "p");

        long start = System.nanoTime();
        Answer first = api.allow(user, "p");
        Answer second = api.allow(user, "p");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(first.allowed()).isTrue();
        assertThat(second.allowed()).isFalse();
        // [1,400, 1,500] when the two requests are within 100 ms, as they are on an idle machine
        assertThat(second.retryAfter()).isBetween(1_500 - elapsedMillis - 1, 1_500L);
        long seconds = Long.parseLong(second.header("Retry-After"));
        assertThat(seconds).isEqualTo((second.retryAfter() + 999) / 1000).isEqualTo(2);

        Thread.sleep(seconds * 1000);

        assertThat(api.allow(user, "p").allowed()).isTrue();
    }

    @Test
    void everyDenial_waitsAtLeastOneMillisecond() {
        api.putPolicy("fast", 3, 3, 1_000);
        String user = freshUser("u");

        for (int i = 0; i < 20; i++) {
            Answer a = api.allowRaw("user_id=" + user + "&resource=fast&cost=" + (i % 3 + 1));
            if (!a.allowed()) {
                assertThat(a.retryAfter()).isBetween(1L, 1_000L);
                assertThat(Long.parseLong(a.header("Retry-After"))).isGreaterThanOrEqualTo(1);
            }
            assertThat(a.json().path("reset_ms").longValue()).isBetween(0L, 1_000L);
            assertThat(a.remaining()).isBetween(0L, 3L);
        }
    }
}
