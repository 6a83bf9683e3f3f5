package io.r8limiter.web;

import org.jspecify.annotations.Nullable;

/**
 * A custom way to tell callers apart, named in key specs as {@code class:FQCN}.
 *
 * <p>Implementations named in a key spec need a public no-argument constructor; one instance serves every request,
 * on the request threads, so it must be thread-safe. The value becomes a bucket key part; values longer than
 * {@link io.r8limiter.BucketKey#MAX_PART_BYTES} bytes are hashed, so any string is safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface KeyResolver {

    /** The caller's identity for this request, or null (or blank) when it has none. */
    @Nullable
    String resolve(RequestView request);
}
