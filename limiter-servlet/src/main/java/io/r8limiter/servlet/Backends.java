package io.r8limiter.servlet;

import io.r8limiter.RateLimitBackend;
import io.r8limiter.memory.MemoryBackend;

/** Builds the backend named by the init-params; Redis classes are touched only for {@code backend=redis}. */
final class Backends {

    private Backends() {}

    static RateLimitBackend create(FilterSettings settings) {
        if (settings.backend.equals("redis")) {
            throw new IllegalArgumentException("init-param backend redis is not available yet in this build");
        }
        return MemoryBackend.builder().maxKeys(settings.memoryMaxKeys).build();
    }
}
