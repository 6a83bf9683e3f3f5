package io.r8limiter.redis;

import io.r8limiter.RateLimitBackend;
import io.r8limiter.memory.MemoryBackend;

/** The backend contract on the memory engine, on a frozen clock moved only by {@link #pass}. */
class MemoryContractTest extends BackendContract {

    private final TestClock clock = new TestClock();
    private final MemoryBackend backend = MemoryBackend.builder().time(clock).build();

    @Override
    RateLimitBackend backend() {
        return backend;
    }

    @Override
    RateLimitBackend otherInstance() {
        return backend;
    }

    @Override
    void pass(long millis) {
        clock.advanceMillis(millis);
    }

    @Override
    long slackMillis() {
        return 0;
    }
}
