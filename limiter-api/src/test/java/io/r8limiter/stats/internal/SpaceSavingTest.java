package io.r8limiter.stats.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpaceSavingTest {

    @Test
    void counts_whileDistinctItemsFit_areExact() {
        for (long seed = 1; seed <= 3; seed++) {
            Random random = new Random(seed);
            SpaceSaving<Integer> sketch = new SpaceSaving<>(1_000);
            Map<Integer, Long> truth = new HashMap<>();

            for (int i = 0; i < 50_000; i++) {
                int item = skewed(random, 1_000);
                sketch.add(item);
                truth.merge(item, 1L, Long::sum);
            }

            SpaceSaving.Snapshot<Integer> snapshot = sketch.snapshot();
            assertThat(snapshot.floor()).isZero();
            assertThat(snapshot.entries()).hasSize(truth.size());
            for (SpaceSaving.Entry<Integer> e : snapshot.entries()) {
                assertThat(e.count()).as("seed %d item %d", seed, e.item()).isEqualTo(truth.get(e.item()));
                assertThat(e.error()).isZero();
            }
            assertDescending(snapshot);
        }
    }

    @Test
    void counts_pastCapacity_stayWithinTheirErrorAndKeepEveryHeavyHitter() {
        for (long seed = 1; seed <= 3; seed++) {
            Random random = new Random(seed);
            int capacity = 100;
            int n = 200_000;
            SpaceSaving<Integer> sketch = new SpaceSaving<>(capacity);
            Map<Integer, Long> truth = new HashMap<>();

            for (int i = 0; i < n; i++) {
                int item = skewed(random, 50_000);
                sketch.add(item);
                truth.merge(item, 1L, Long::sum);
            }

            SpaceSaving.Snapshot<Integer> snapshot = sketch.snapshot();
            assertThat(snapshot.entries()).hasSize(capacity);
            assertThat(snapshot.floor()).isPositive().isLessThanOrEqualTo(n / capacity);
            assertThat(snapshot.entries().stream()
                            .mapToLong(SpaceSaving.Entry::count)
                            .sum())
                    .isEqualTo(n);
            for (SpaceSaving.Entry<Integer> e : snapshot.entries()) {
                long actual = truth.get(e.item());
                assertThat(actual).as("seed %d item %d", seed, e.item()).isBetween(e.count() - e.error(), e.count());
            }
            Map<Integer, Long> listed = new HashMap<>();
            snapshot.entries().forEach(e -> listed.put(e.item(), e.count()));
            truth.forEach((item, count) -> {
                if (count > snapshot.floor()) {
                    assertThat(listed)
                            .as("heavy hitter %d with %d", item, count)
                            .containsKey(item);
                }
            });
            assertDescending(snapshot);
        }
    }

    @Test
    void oneItem_repeated_isCountedInPlace() {
        SpaceSaving<String> sketch = new SpaceSaving<>(1);

        for (int i = 0; i < 3; i++) {
            sketch.add("a");
        }
        sketch.add("b");

        assertThat(sketch.snapshot().entries()).containsExactly(new SpaceSaving.Entry<>("b", 4, 3));
        assertThat(sketch.snapshot().floor()).isEqualTo(4);
    }

    /** Item {@code i} of {@code distinct} drawn with probability falling off like 1 / (i + 1). */
    private static int skewed(Random random, int distinct) {
        double u = random.nextDouble();
        return (int) Math.min(distinct - 1, Math.floor(Math.exp(u * Math.log(distinct + 1.0)) - 1));
    }

    private static void assertDescending(SpaceSaving.Snapshot<?> snapshot) {
        long previous = Long.MAX_VALUE;
        for (SpaceSaving.Entry<?> e : snapshot.entries()) {
            assertThat(e.count()).isLessThanOrEqualTo(previous);
            previous = e.count();
        }
    }
}
