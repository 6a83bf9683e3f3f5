/**
 * Actuator support: the {@code ratelimit} endpoint ({@link io.r8limiter.spring.actuate.RateLimitEndpoint}) and the
 * Redis backend's health contributor.
 *
 * <p>Loaded only when Spring Boot's actuator is on the classpath; the endpoint is exposed only when included.
 */
@NullMarked
package io.r8limiter.spring.actuate;

import org.jspecify.annotations.NullMarked;
