package io.r8limiter.web;

import org.jspecify.annotations.Nullable;

/** A custom resolver for tests: the {@code X-Api-Key} header, upper-cased. */
public final class UserHeaderResolver implements KeyResolver {

    @Override
    public @Nullable String resolve(RequestView request) {
        String key = request.header("X-Api-Key");
        return key == null ? null : key.toUpperCase(java.util.Locale.ROOT);
    }
}
