package io.r8limiter.jaxrs;

import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * Tells the direct peer's address of a JAX-RS request, which Jakarta REST itself does not expose.
 *
 * <p>Under a servlet container the feature reads it from the servlet request on its own; other runtimes (such as
 * Jersey on Grizzly or Netty) pass one of these to {@link RateLimitFeature.Builder#remoteAddress}. Called on the
 * request thread for each limited request; must be thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface RemoteAddress {

    /** The literal address of the TCP peer of {@code request}. */
    String of(ContainerRequestContext request);
}
