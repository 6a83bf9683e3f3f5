package io.r8limiter.internal;

import io.r8limiter.Limit;
import io.r8limiter.LimitStatus;
import java.util.AbstractList;

/**
 * Stands in a {@link io.r8limiter.Decision} for the one-element list of a single-limit policy: that limit's figures
 * are the decision's headline figures, so {@link io.r8limiter.Decision#limits()} derives the list only when asked,
 * and an engine's decision costs one object. One instance per policy, shared by every decision; never exposed.
 */
public final class OneLimit extends AbstractList<LimitStatus> {

    private final Limit limit;

    OneLimit(Limit limit) {
        this.limit = limit;
    }

    /** The policy's only limit. */
    public Limit limit() {
        return limit;
    }

    @Override
    public int size() {
        return 1;
    }

    /**
     * Not available: the figures live in the decision.
     *
     * @throws IllegalStateException always; read {@link io.r8limiter.Decision#limits()} instead
     */
    @Override
    public LimitStatus get(int index) {
        throw new IllegalStateException("a single limit's figures are derived by Decision.limits()");
    }
}
