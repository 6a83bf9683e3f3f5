package io.r8limiter.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.Limit;
import io.r8limiter.LimitStatus;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The time to the next whole token: the long arithmetic of every request against the exact BigInteger form. */
class RateLimitFieldsTest {

    @Test
    void longArithmetic_agreesWithTheExactForm_onSeededRandomLimits() {
        SplittableRandom random = new SplittableRandom(20261204);
        int checked = 0;
        while (checked < 20_000) {
            Limit limit = randomLimit(random);
            if (limit == null || limit.capacity() < 2) {
                continue;
            }
            long remaining = random.nextLong(limit.capacity());
            long reset = 1 + random.nextLong(Math.max(1, limit.millisToFillFromEmpty()));
            LimitStatus status = new LimitStatus(limit, remaining, reset, 0);

            assertThat(RateLimitFields.millisToNextToken(status))
                    .as("%s", status)
                    .isEqualTo(RateLimitFields.exactMillisToNextToken(status));
            checked++;
        }
    }

    @Test
    void productsBeyondALong_takeTheExactForm() {
        // 10^15 tokens refilled one per microsecond over 30 days: an empty bucket needs 10^12 ms, times 2.6 * 10^12
        Limit huge = Limit.of(Limit.MAX_CAPACITY, Duration.ofDays(30).toNanos() / 1000, Duration.ofDays(30));
        LimitStatus status = new LimitStatus(huge, 0, huge.millisToFillFromEmpty() - 1, 0);

        assertThat(RateLimitFields.millisToNextToken(status))
                .isEqualTo(RateLimitFields.exactMillisToNextToken(status))
                .isPositive();
    }

    /** A limit across the accepted range, or null when the draw breaks the engines' arithmetic bounds. */
    private static Limit randomLimit(SplittableRandom random) {
        long capacity = 1 + (long) Math.pow(10, random.nextDouble(0, 15));
        long tokens = 1 + (long) Math.pow(10, random.nextDouble(0, 12));
        long period = 1
                + (long) Math.pow(
                        10, random.nextDouble(0, Math.log10(Duration.ofDays(30).toMillis())));
        try {
            return Limit.of(Math.min(capacity, Limit.MAX_CAPACITY), tokens, Duration.ofMillis(period));
        } catch (IllegalArgumentException outsideTheBounds) {
            return null;
        }
    }
}
