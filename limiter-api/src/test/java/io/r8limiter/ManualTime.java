package io.r8limiter;

import java.time.Duration;

/** A clock that moves only when a test says so. */
public final class ManualTime implements TimeSource {

    private volatile long nanos;

    @Override
    public long nanos() {
        return nanos;
    }

    /** Moves the clock to {@code millis} after the origin (negative moves it before). */
    public ManualTime setMillis(long millis) {
        nanos = Duration.ofMillis(millis).toNanos();
        return this;
    }

    /** Moves the clock forward by {@code millis}. */
    public ManualTime advanceMillis(long millis) {
        nanos += Duration.ofMillis(millis).toNanos();
        return this;
    }

    /** Moves the clock forward by {@code micros}. */
    public ManualTime advanceMicros(long micros) {
        nanos += micros * 1000;
        return this;
    }
}
