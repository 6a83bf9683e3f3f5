/**
 * Spring Boot auto-configuration of the limiter: the {@code r8limiter.*} properties, the configured policies, the
 * in-memory or Redis backend and the {@link io.r8limiter.RateLimiter} bean.
 *
 * <p>Each concern has one final auto-configuration class whose beans back off when the application defines its own.
 */
@NullMarked
package io.r8limiter.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
