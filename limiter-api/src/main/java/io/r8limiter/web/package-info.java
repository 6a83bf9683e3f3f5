/**
 * What every HTTP adapter (servlet filter, JAX-RS filters, Spring interceptor) shares, as plain values and without
 * any web framework: the answer to write for a {@link io.r8limiter.Decision} ({@link io.r8limiter.web.HttpAnswer}),
 * the key syntax ({@link io.r8limiter.web.KeySpec}) resolved against a tiny view of the request
 * ({@link io.r8limiter.web.RequestView}, {@link io.r8limiter.web.RequestKeys}), and the client address behind
 * trusted proxies ({@link io.r8limiter.web.ClientIpResolver}).
 *
 * <p>An adapter implements {@code RequestView} over its own request type and copies the {@code HttpAnswer}'s status,
 * headers and body onto its own response type; nothing else is written twice.
 */
@NullMarked
package io.r8limiter.web;

import org.jspecify.annotations.NullMarked;
