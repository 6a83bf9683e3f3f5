package io.r8limiter.spring.testapp;

import io.r8limiter.TimeSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test says so. */
public final class ManualClock implements TimeSource {

    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanos() {
        return nanos.get();
    }

    /** Moves the clock forward. */
    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
