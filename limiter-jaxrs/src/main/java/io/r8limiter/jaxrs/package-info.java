/**
 * Rate limiting for Jakarta REST (JAX-RS) resources: register {@link io.r8limiter.jaxrs.RateLimitFeature} once and
 * annotate resource classes or methods with {@link io.r8limiter.RateLimited}.
 *
 * <p>The answer and the key resolution come from {@code io.r8limiter.web}, shared with the servlet filter and the
 * Spring starter; the module depends on neither.
 */
@NullMarked
package io.r8limiter.jaxrs;

import org.jspecify.annotations.NullMarked;
