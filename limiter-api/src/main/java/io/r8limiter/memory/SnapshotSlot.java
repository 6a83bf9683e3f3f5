package io.r8limiter.memory;

import io.r8limiter.Decision;
import io.r8limiter.Policy;
import io.r8limiter.internal.BucketState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A bucket as an immutable {@link BucketState}, for policies with several limits or units too fine for
 * {@link FullAtSlot}: a decision reads the snapshot and, taking tokens, swaps in the next one with one
 * compare-and-set, deciding again when another thread came first. A policy change is converted inside
 * {@link BucketState#decide}, so this slot serves every policy.
 */
final class SnapshotSlot extends Slot {

    private static final VarHandle STATE;
    /** Dropped by a sweep or a reset: look the key up again. */
    private static final Object REMOVED = new Object();

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SnapshotSlot.class, "state", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The current {@link BucketState}, {@code null} while full, or {@link #REMOVED}. */
    private volatile @Nullable Object state;

    SnapshotSlot(@Nullable BucketState state) {
        this.state = state;
    }

    @Override
    @Nullable
    Decision decide(Policy policy, long nowMicros, long cost, boolean consume) {
        for (int failures = 0; ; backOff(++failures)) {
            Object s = state;
            if (s == REMOVED) {
                return null;
            }
            BucketState.Outcome outcome = BucketState.decide(policy, (BucketState) s, nowMicros, cost, consume);
            if (outcome.next() == null || STATE.compareAndSet(this, s, outcome.next())) {
                return outcome.decision();
            }
        }
    }

    /** Never needed for a policy change; only a dropped slot is settled, by removing it. */
    @Override
    @Nullable
    Slot successor(Policy policy, long nowMicros) {
        return state == REMOVED ? null : this;
    }

    @Override
    boolean dropIfFull(long nowMicros) {
        while (true) {
            Object s = state;
            if (s == REMOVED || (s != null && !((BucketState) s).isFullAt(nowMicros))) {
                return false;
            }
            if (STATE.compareAndSet(this, s, REMOVED)) {
                return true;
            }
        }
    }

    @Override
    void drop() {
        STATE.setVolatile(this, REMOVED);
    }
}
