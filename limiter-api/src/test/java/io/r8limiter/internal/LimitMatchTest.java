package io.r8limiter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.Limit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitMatchTest {

    private static final Limit MINUTE = Limit.perPeriod(5, Duration.ofMinutes(1));
    private static final Limit HOUR = Limit.perPeriod(100, Duration.ofHours(1));
    private static final Limit DAY = Limit.perPeriod(1000, Duration.ofDays(1));

    private static int[] sources(List<Limit> stored, List<Limit> next) {
        return LimitMatch.sources(PolicyMath.of(stored), PolicyMath.of(next));
    }

    @Test
    void removedAndReorderedLimits_areFoundByWhatTheyAre() {
        assertThat(sources(List.of(MINUTE, HOUR), List.of(HOUR))).containsExactly(1);
        assertThat(sources(List.of(MINUTE, HOUR), List.of(HOUR, MINUTE))).containsExactly(1, 0);
    }

    @Test
    void anAddedLimit_hasNoSource() {
        assertThat(sources(List.of(MINUTE, HOUR), List.of(MINUTE, DAY, HOUR))).containsExactly(0, -1, 1);
    }

    @Test
    void sameRate_matchesAChangedCapacity_andSamePeriod_aChangedRate() {
        Limit biggerHour = Limit.of(300, 100, Duration.ofHours(1));
        Limit fasterMinute = Limit.perPeriod(50, Duration.ofMinutes(1));

        assertThat(sources(List.of(MINUTE, HOUR), List.of(biggerHour, fasterMinute)))
                .containsExactly(1, 0);
    }

    @Test
    void anExactMatch_isNeverTakenByAWeakerOne() {
        // both stored limits share the minute's rate; the first new limit must not take the exact partner of the
        // second just because it comes first
        Limit twice = Limit.of(10, 5, Duration.ofMinutes(1));

        assertThat(sources(List.of(MINUTE, twice), List.of(Limit.of(7, 5, Duration.ofMinutes(1)), MINUTE)))
                .containsExactly(1, 0);
    }

    @Test
    void theOnlyLimitLeftOnEachSide_isTheSameLimitChanged() {
        Limit changed = Limit.of(50, 10, Duration.ofSeconds(10));

        assertThat(sources(List.of(MINUTE), List.of(changed))).containsExactly(0);
        assertThat(sources(List.of(MINUTE, HOUR), List.of(MINUTE, DAY))).containsExactly(0, 1);
        assertThat(sources(List.of(MINUTE, HOUR, DAY), List.of(Limit.perPeriod(9, Duration.ofSeconds(9)))))
                .containsExactly(-1);
    }
}
