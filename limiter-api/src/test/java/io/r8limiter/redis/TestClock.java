package io.r8limiter.redis;

import io.r8limiter.TimeSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to. */
final class TestClock implements TimeSource {

    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanos() {
        return nanos.get();
    }

    void advanceMicros(long micros) {
        nanos.addAndGet(micros * 1000);
    }

    void advanceMillis(long millis) {
        advanceMicros(millis * 1000);
    }
}
