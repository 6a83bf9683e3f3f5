/**
 * Spring MVC integration: {@link io.r8limiter.spring.mvc.RateLimitInterceptor} limits {@code @RateLimited}
 * controllers and paths matched by {@code r8limiter.rules}, with keys in the shared syntax or as restricted SpEL.
 *
 * <p>Loaded only in servlet web applications; the HTTP answer and key resolution come from {@code io.r8limiter.web}.
 */
@NullMarked
package io.r8limiter.spring.mvc;

import org.jspecify.annotations.NullMarked;
