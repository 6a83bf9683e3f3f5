package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsBatchTest {

    // A flush that keeps failing must not keep every offender it saw for retry: past the bound it keeps the most
    // denied and adds the largest count it let go to the slice's shared error, so no stated count becomes false.
    @Test
    void merge_pastTheBound_keepsTheMostDenied_andAddsWhatItLetGoToTheExtra() {
        StatsBatch kept = batch("a", 5, "b", 1);
        StatsBatch failedAgain = batch("a", 2, "c", 3);
        failedAgain.extra = 4;
        failedAgain.addTotals("p", new long[] {1, 2, 0});

        kept.merge(failedAgain, 2);

        assertThat(kept.offenders).containsOnlyKeys("a", "c");
        assertThat(kept.offenders.get("a")).containsExactly(7, 0);
        assertThat(kept.extra).isEqualTo(4 + 1);
        assertThat(kept.totals.get("p")).containsExactly(1, 2, 0);
    }

    @Test
    void split_putsTheMostDeniedFirst_andTheTotalsAndExtraInTheFirstPart() {
        StatsBatch batch = batch("light", 1, "heavy", 9, "middle", 4);
        batch.extra = 2;
        batch.addTotals("p", new long[] {0, 14, 0});

        List<StatsBatch> parts = batch.split(2);

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).offenders).containsOnlyKeys("heavy", "middle");
        assertThat(parts.get(0).extra).isEqualTo(2);
        assertThat(parts.get(0).scriptArgs(0, 10)).startsWith("0", "10", "2", "1", "p|denied", "14", "heavy", "9", "0");
        assertThat(parts.get(1).offenders).containsOnlyKeys("light");
        assertThat(parts.get(1).totals).isEmpty();
        assertThat(parts.get(1).extra).isZero();
    }

    private static StatsBatch batch(Object... membersAndDenials) {
        StatsBatch batch = new StatsBatch(1);
        for (int i = 0; i < membersAndDenials.length; i += 2) {
            batch.offenders.put((String) membersAndDenials[i], new long[] {(Integer) membersAndDenials[i + 1], 0});
        }
        return batch;
    }
}
