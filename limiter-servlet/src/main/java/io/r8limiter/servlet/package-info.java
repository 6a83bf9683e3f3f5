/**
 * A Jakarta Servlet filter that rate-limits requests: {@link io.r8limiter.servlet.RateLimitFilter}, declared in
 * {@code web.xml} with init-params or built in code around an application's {@link io.r8limiter.RateLimiter}.
 *
 * <p>The answer it writes and the way it finds the caller's key come from {@code io.r8limiter.web}, shared with the
 * JAX-RS filters and the Spring starter.
 */
@NullMarked
package io.r8limiter.servlet;

import org.jspecify.annotations.NullMarked;
