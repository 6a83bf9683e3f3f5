package io.r8limiter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.LimitStatus;
import io.r8limiter.ManualTime;
import io.r8limiter.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random traces through the memory engine and through {@link ReferenceBucket}'s exact rational model. Any
 * seed that fails reproduces alone: run the test with that seed. Time only moves forward here; a clock that goes
 * back has its own tests, since a full bucket keeps no time to compare with.
 */
class MemoryBackendReferenceTest {

    private static final long[] PERIODS_MS = {1, 7, 999, 1000, 1500, 60_000, 3_600_000, 86_400_000, 2_592_000_000L};

    static LongStream seeds() {
        return LongStream.range(1, 301);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void decisions_matchExactRationalModel(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Policy policy = randomPolicy(random);
        ManualTime time = new ManualTime();
        MemoryBackend backend =
                MemoryBackend.builder().time(time).sweepExecutor(Runnable::run).build();
        ReferenceBucket reference = new ReferenceBucket(policy);
        BucketKey key = BucketKey.of("seed", Long.toString(seed));
        long nowMicros = 0;

        for (int step = 0; step < 400; step++) {
            long advance = randomAdvance(random, policy);
            time.advanceMicros(advance);
            nowMicros += advance;
            boolean peek = random.nextInt(10) == 0;
            long cost = peek ? 1 : randomCost(random, policy.maxCost());

            Decision actual = peek ? backend.peek(policy, key) : backend.consume(policy, key, cost);
            ReferenceBucket.Expected expected = reference.decide(nowMicros, cost, !peek);

            String where = "seed " + seed + " step " + step + " " + policy + " cost " + cost;
            assertThat(actual.allowed()).as(where).isEqualTo(expected.allowed());
            assertThat(figures(actual.limits())).as(where).isEqualTo(expected.limits());
            assertHeadline(actual, expected, where);
        }
    }

    private static void assertHeadline(Decision actual, ReferenceBucket.Expected expected, String where) {
        int tightest = 0;
        long retry = 0;
        List<ReferenceBucket.Figures> f = expected.limits();
        for (int i = 0; i < f.size(); i++) {
            retry = Math.max(retry, f.get(i).retryAfterMillis());
            boolean fewer = f.get(i).remaining() < f.get(tightest).remaining();
            boolean tieLonger = f.get(i).remaining() == f.get(tightest).remaining()
                    && f.get(i).resetMillis() > f.get(tightest).resetMillis();
            if (fewer || tieLonger) {
                tightest = i;
            }
        }
        assertThat(actual.remaining()).as(where).isEqualTo(f.get(tightest).remaining());
        assertThat(actual.resetMillis()).as(where).isEqualTo(f.get(tightest).resetMillis());
        assertThat(actual.retryAfterMillis()).as(where).isEqualTo(retry);
        assertThat(actual.limit())
                .as(where)
                .isEqualTo(actual.limits().get(tightest).limit().capacity());
        if (!actual.allowed()) {
            assertThat(actual.retryAfterMillis()).as(where).isPositive();
        }
    }

    private static List<ReferenceBucket.Figures> figures(List<LimitStatus> statuses) {
        List<ReferenceBucket.Figures> out = new ArrayList<>();
        for (LimitStatus s : statuses) {
            out.add(new ReferenceBucket.Figures(s.remaining(), s.resetMillis(), s.retryAfterMillis()));
        }
        return out;
    }

    static Policy randomPolicy(SplittableRandom random) {
        int n = 1 + random.nextInt(3);
        Policy.Builder builder = Policy.builder("p" + random.nextInt(1000));
        int added = 0;
        while (added < n) {
            try {
                builder.limit(randomLimit(random));
                added++;
            } catch (IllegalArgumentException tooLargeToBeExact) {
                // drawn outside the exact range: draw again
            }
        }
        return builder.build();
    }

    private static Limit randomLimit(SplittableRandom random) {
        long periodMs = random.nextBoolean()
                ? PERIODS_MS[random.nextInt(PERIODS_MS.length)]
                : 1 + random.nextLong(2_592_000_000L);
        long maxRefill = Math.max(1, Math.min(1_000_000_000L, periodMs * 1_000_000L));
        long refill = logUniform(random, maxRefill);
        long capacity = random.nextInt(4) == 0 ? refill : logUniform(random, 1_000_000_000_000L);
        return Limit.of(capacity, refill, Duration.ofMillis(periodMs));
    }

    private static long randomCost(SplittableRandom random, long maxCost) {
        return switch (random.nextInt(4)) {
            case 0, 1 -> 1;
            case 2 -> 1 + random.nextLong(Math.min(maxCost, 10));
            default -> 1 + random.nextLong(maxCost);
        };
    }

    private static long randomAdvance(SplittableRandom random, Policy policy) {
        long period =
                policy.limits().get(random.nextInt(policy.limits().size())).refillPeriodMillis() * 1000;
        return switch (random.nextInt(8)) {
            case 0, 1 -> 0;
            case 2 -> random.nextLong(1, 1000);
            case 3 -> random.nextLong(1, 1_000_000);
            case 4 -> random.nextLong(1, Math.max(2, period / 50));
            case 5 -> random.nextLong(1, period + 2);
            default -> random.nextLong(1, 20_000);
        };
    }

    private static long logUniform(SplittableRandom random, long max) {
        double exp = random.nextDouble() * Math.log(max);
        return Math.max(1, Math.min(max, (long) Math.exp(exp)));
    }
}
