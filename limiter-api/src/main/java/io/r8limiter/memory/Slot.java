package io.r8limiter.memory;

import io.r8limiter.Decision;
import io.r8limiter.Policy;
import io.r8limiter.internal.BucketState;
import io.r8limiter.internal.PolicyMath;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One key's bucket, in 40 bytes: the arithmetic it was written under ({@code null} while full), the time of the
 * last debit and the deficit (one field for a single limit, an immutable array for several), guarded by a version.
 *
 * <p>The version works as a sequence lock. Every decision reads the fields optimistically and checks that the version
 * did not move; a denial or a peek stops there, writing nothing shared. An allowance moves the version from the even
 * value it read to odd with one compare-and-set (failing, it decides again on fresh state), stores the new fields
 * and publishes the next even value, so a debit is never based on stale state and readers never see half a write.
 * A negative version marks a slot dropped by a sweep or a reset; a caller then looks the key up again.
 */
final class Slot {

    private static final VarHandle VERSION;
    private static final int REMOVED = -2;
    private static final int EVEN = 0x7FFF_FFFE;
    private static final int SPINS_BEFORE_YIELD = 64;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(Slot.class, "version", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through VERSION
    private volatile int version;

    private PolicyMath math;
    private long[] deficits;
    private long time;
    private long deficit;

    /**
     * Decides a request for {@code cost} tokens at {@code now}, debiting when {@code consume}; {@code null} when the
     * slot was dropped meanwhile.
     */
    Decision decide(Policy policy, long now, long cost, boolean consume) {
        PolicyMath m = policy.math();
        for (int attempt = 0; ; attempt++) {
            int v = (int) VERSION.getAcquire(this);
            if (v == REMOVED) {
                return null;
            }
            if ((v & 1) != 0) {
                backOff(attempt);
                continue;
            }
            PolicyMath sm = math;
            long st = time;
            long sd = deficit;
            long[] sds = deficits;
            VarHandle.acquireFence();
            if ((int) VERSION.getVolatile(this) != v) {
                continue;
            }

            Decision decision = m.single() && (sm == m || sm == null)
                    ? single(
                            m,
                            v,
                            sm == null ? 0 : m.refilled(sd, now - st),
                            sm == null ? now : Math.max(st, now),
                            cost,
                            consume)
                    : general(policy, v, sm == null ? null : BucketState.of(sm, st, copy(sd, sds)), now, cost, consume);
            if (decision != null) {
                return decision;
            }
        }
    }

    /** The single-limit path: no allocation but the decision. {@code null} when another writer came first. */
    private Decision single(PolicyMath m, int v, long current, long stamp, long cost, boolean consume) {
        long after = current + cost * m.unitsPerToken(0);
        if (after > m.fullDeficit(0)) {
            return m.denial(current, cost);
        }
        if (!consume) {
            return m.allowance(current);
        }
        if (!VERSION.compareAndSet(this, v, v + 1)) {
            return null;
        }
        math = m;
        time = stamp;
        deficit = after;
        deficits = null;
        VERSION.setRelease(this, (v + 2) & EVEN);
        return m.allowance(after);
    }

    /** Several limits, or state written under other arithmetic. {@code null} when another writer came first. */
    private Decision general(Policy policy, int v, BucketState state, long now, long cost, boolean consume) {
        BucketState.Outcome outcome = BucketState.decide(policy, state, now, cost, consume);
        BucketState next = outcome.next();
        if (next == null) {
            return outcome.decision();
        }
        if (!VERSION.compareAndSet(this, v, v + 1)) {
            return null;
        }
        math = next.math();
        time = next.timeMicros();
        deficit = next.deficit(0);
        deficits = next.size() == 1 ? null : next.sharedDeficits();
        VERSION.setRelease(this, (v + 2) & EVEN);
        return outcome.decision();
    }

    /** Marks the slot dropped if its bucket is full at {@code now}; returns whether it did. */
    boolean dropIfFull(long now) {
        for (int attempt = 0; ; attempt++) {
            int v = (int) VERSION.getAcquire(this);
            if (v == REMOVED) {
                return false;
            }
            if ((v & 1) != 0) {
                backOff(attempt);
                continue;
            }
            PolicyMath sm = math;
            long st = time;
            long sd = deficit;
            long[] sds = deficits;
            VarHandle.acquireFence();
            if ((int) VERSION.getVolatile(this) != v) {
                continue;
            }
            boolean full = sm == null || BucketState.of(sm, st, copy(sd, sds)).isFullAt(now);
            if (!full) {
                return false;
            }
            if (VERSION.compareAndSet(this, v, REMOVED)) {
                return true;
            }
        }
    }

    /** Marks the slot dropped, as a reset does. */
    void drop() {
        for (int attempt = 0; ; attempt++) {
            int v = (int) VERSION.getAcquire(this);
            if (v == REMOVED || ((v & 1) == 0 && VERSION.compareAndSet(this, v, REMOVED))) {
                return;
            }
            backOff(attempt);
        }
    }

    private static long[] copy(long single, long[] several) {
        return several == null ? new long[] {single} : several;
    }

    /** A writer holds the slot for a few stores; spin briefly, then let it run (it may have been preempted). */
    private static void backOff(int attempt) {
        if (attempt < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
