package io.r8limiter.memory;

import io.r8limiter.Decision;
import io.r8limiter.Policy;
import io.r8limiter.internal.BucketState;
import io.r8limiter.internal.PolicyMath;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * A single-limit bucket as one number: the time it will be full again, in the limit's units ({@code T} per
 * microsecond, {@code P} per token, see {@link io.r8limiter.internal.BucketMath}). A deficit of {@code d} units at
 * time {@code t} is kept as {@code t * T + d}, so at {@code now} the deficit is {@code max(0, fullAt - now * T)}: the
 * refill needs no stored time, and a debit of {@code cost} moves the number on by {@code cost * P} with one
 * compare-and-set. That is lock-free and allocates nothing; a denial or a peek only reads.
 *
 * <p>A caller whose clock reading is older than the last debit sees that debit's deficit plus the few microseconds
 * between the readings, never less, so racing callers can be refused a token refilled in between but are never
 * granted one twice. A clock that went back by more than a fill shows the bucket empty.
 *
 * <p>The slot also notes the time of the last debit (written after the compare-and-set, so racing writers may leave
 * it a few microseconds early), because a policy change applies the new refill rate from that time on, as the
 * snapshot form and the Redis script do.
 */
final class FullAtSlot extends Slot {

    private static final VarHandle FULL_AT;
    private static final VarHandle STAMP;
    /** Dropped by a sweep or a reset: look the key up again. */
    private static final long REMOVED = Long.MIN_VALUE;
    /** Replaced by {@link #successor}: the map already holds the next slot. */
    private static final long MOVED = Long.MIN_VALUE + 1;
    /** Full: below every {@code now * T} that {@link PolicyMath#fullAtFits} admits. */
    private static final long FULL = Long.MIN_VALUE + 2;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FULL_AT = lookup.findVarHandle(FullAtSlot.class, "fullAt", long.class);
            STAMP = lookup.findVarHandle(FullAtSlot.class, "stamp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PolicyMath math;
    private volatile long fullAt;
    /** Time of the last debit, in microseconds; read and written only through {@link #STAMP}, opaquely. */
    private long stamp;

    /**
     * A bucket lacking {@code deficit} units after a debit at {@code timeMicros} (or, with no deficit, full since
     * then), a time {@link PolicyMath#fullAtFits} admits.
     */
    FullAtSlot(PolicyMath math, long deficit, long timeMicros) {
        this.math = math;
        this.stamp = timeMicros;
        this.fullAt = deficit == 0 ? FULL : timeMicros * math.unitsPerMicro(0) + deficit;
    }

    @Override
    @Nullable
    Decision decide(Policy policy, long nowMicros, long cost, boolean consume) {
        PolicyMath m = policy.math();
        if (!math.sameSingleLimit(m) || !m.fullAtFits(nowMicros)) {
            return null;
        }
        long now = nowMicros * m.unitsPerMicro(0);
        long empty = m.fullDeficit(0);
        long need = cost * m.unitsPerToken(0);
        for (int failures = 0; ; backOff(++failures)) {
            long v = fullAt;
            if (v < FULL) {
                return null; // dropped or moved
            }
            long from = Math.max(v, now);
            long deficit = Math.min(from - now, empty);
            if (deficit + need > empty) {
                return m.denial(deficit, cost);
            }
            if (!consume) {
                return m.allowance(deficit);
            }
            if (FULL_AT.compareAndSet(this, v, from + need)) {
                if (nowMicros > (long) STAMP.getOpaque(this)) {
                    STAMP.setOpaque(this, nowMicros);
                }
                return m.allowance(deficit + need);
            }
        }
    }

    @Override
    @Nullable
    Slot successor(Policy policy, long nowMicros) {
        while (true) {
            long v = fullAt;
            if (v == REMOVED) {
                return null;
            }
            if (v == MOVED) {
                throw new IllegalStateException("a moved slot is never mapped");
            }
            long time = (long) STAMP.getOpaque(this);
            long deficit = deficitAt(v, time);
            BucketState state = deficit == 0 ? null : BucketState.of(math, time, new long[] {deficit});
            Slot next = Slot.of(policy, state, nowMicros);
            if (FULL_AT.compareAndSet(this, v, MOVED)) {
                return next;
            }
        }
    }

    @Override
    boolean dropIfFull(long nowMicros) {
        while (true) {
            long v = fullAt;
            if (v == REMOVED || v == MOVED || deficitAt(v, nowMicros) != 0) {
                return false;
            }
            if (FULL_AT.compareAndSet(this, v, REMOVED)) {
                return true;
            }
        }
    }

    @Override
    void drop() {
        while (true) {
            long v = fullAt;
            if (v == REMOVED || v == MOVED || FULL_AT.compareAndSet(this, v, REMOVED)) {
                return;
            }
        }
    }

    /**
     * The deficit {@code v} means at {@code nowMicros}, at most an empty bucket. A sweep or a policy change may come
     * after the range {@link PolicyMath#fullAtFits} admits; the product is then formed exactly.
     */
    private long deficitAt(long v, long nowMicros) {
        if (v == FULL) {
            return 0;
        }
        if (math.fullAtFits(nowMicros)) {
            long now = nowMicros * math.unitsPerMicro(0);
            return v > now ? Math.min(v - now, math.fullDeficit(0)) : 0;
        }
        BigInteger lacking = BigInteger.valueOf(v)
                .subtract(BigInteger.valueOf(nowMicros).multiply(BigInteger.valueOf(math.unitsPerMicro(0))));
        if (lacking.signum() <= 0) {
            return 0;
        }
        return lacking.min(BigInteger.valueOf(math.fullDeficit(0))).longValueExact();
    }
}
