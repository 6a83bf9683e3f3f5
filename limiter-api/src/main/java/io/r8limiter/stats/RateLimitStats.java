package io.r8limiter.stats;

import io.r8limiter.DecisionListener;
import java.time.Duration;
import java.util.List;

/**
 * Decision statistics over a recent window: totals by policy and outcome, and the keys with the most denials.
 *
 * <p>Register an instance as a listener ({@code RateLimiter.builder().listener(stats)}); it then hears every decision
 * on the deciding thread and must stay cheap there. Denials of a shadow policy count as denials, and degraded
 * decisions (made by a failure mode) count as allowed or denied and, in addition, as degraded. The window is made of
 * time slices, so it covers at least {@link #window()} and at most one slice more. Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface RateLimitStats extends DecisionListener, AutoCloseable {

    /** The default window: 15 minutes. */
    Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

    /** How far back the statistics reach. */
    Duration window();

    /** Decisions in the window, by policy and outcome. */
    Totals totals();

    /**
     * The keys with the most denials in the window, most denied first (ties ordered by policy name, then key), at
     * most {@code limit} of them.
     *
     * <p>Offenders are counted in a bounded top-k summary, so a count may be an estimate: it never falls below the
     * true count and exceeds it by at most {@link Offender#error()}, which is 0 ({@link Offender#exact()}) while the
     * summary held every denied key. Each implementation states its bound on the error.
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    List<Offender> topOffenders(int limit);

    /** Stops any background work; the default does nothing. */
    @Override
    default void close() {}
}
