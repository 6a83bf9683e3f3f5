package io.r8limiter.jaxrs;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;

/**
 * Copies the servlet request's peer address into a request property for the rate-limit filter, on runtimes that
 * serve JAX-RS from a servlet container. {@link RateLimitFeature} registers it by class, so that the runtime creates
 * it and injects the servlet request; it is public only for that, and is not meant to be used directly.
 *
 * @since 0.1
 */
public final class ServletPeerAddress implements ContainerRequestFilter {

    /** The request property holding the peer address. */
    public static final String PROPERTY = ServletPeerAddress.class.getName();

    @Context
    private HttpServletRequest servletRequest;

    /** For the runtime. */
    public ServletPeerAddress() {}

    @Override
    public void filter(ContainerRequestContext request) {
        HttpServletRequest servlet = servletRequest;
        String address = servlet == null ? null : servlet.getRemoteAddr();
        if (address != null) {
            request.setProperty(PROPERTY, address);
        }
    }
}
