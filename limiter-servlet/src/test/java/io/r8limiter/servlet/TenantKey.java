package io.r8limiter.servlet;

import io.r8limiter.web.KeyResolver;
import io.r8limiter.web.RequestView;
import org.jspecify.annotations.Nullable;

/** A custom key named in web.xml as {@code class:}: the tenant before the dot of an {@code X-Api-Key}. */
public final class TenantKey implements KeyResolver {

    @Override
    public @Nullable String resolve(RequestView request) {
        String apiKey = request.header("X-Api-Key");
        int dot = apiKey == null ? -1 : apiKey.indexOf('.');
        return dot < 1 ? null : apiKey.substring(0, dot);
    }
}
