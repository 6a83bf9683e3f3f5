package io.r8limiter.jaxrs;

import static java.util.Objects.requireNonNull;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.RateLimiter;
import io.r8limiter.web.HttpAnswer;
import io.r8limiter.web.HttpHeader;
import io.r8limiter.web.RequestKeys;
import io.r8limiter.web.RequestKeys.Resolution;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request and response filter bound to one annotated resource method: takes tokens before the method runs,
 * aborts with the shared 429 answer when there are none, and copies the RateLimit fields onto allowed responses.
 */
final class RateLimitFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimitFilter.class);

    private final RateLimiter limiter;
    private final String policy;
    private final long cost;
    private final RequestKeys keys;
    private final boolean headersOnAllowed;
    private final RemoteAddress remoteAddress;
    private final String answerProperty;
    private volatile boolean warnedUnknownPeer;

    RateLimitFilter(
            RateLimiter limiter,
            String policy,
            long cost,
            RequestKeys keys,
            boolean headersOnAllowed,
            RemoteAddress remoteAddress) {
        this.limiter = requireNonNull(limiter, "limiter");
        this.policy = requireNonNull(policy, "policy");
        this.cost = cost;
        this.keys = requireNonNull(keys, "keys");
        this.headersOnAllowed = headersOnAllowed;
        this.remoteAddress = requireNonNull(remoteAddress, "remoteAddress");
        this.answerProperty = RateLimitFilter.class.getName() + ".answer." + policy;
    }

    /** The peer address: as copied from the servlet request, or from the configured source. */
    private String remoteAddress(ContainerRequestContext request) {
        if (request.getProperty(ServletPeerAddress.PROPERTY) instanceof String address) {
            return address;
        }
        String address = remoteAddress.of(request);
        return address == null ? "" : address;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getProperty(answerProperty) != null) {
            return;
        }
        String peer = remoteAddress(request);
        if (peer.isBlank() && !warnedUnknownPeer) {
            warnedUnknownPeer = true;
            LOG.warn("the peer address of JAX-RS requests is unknown here, so client-address keys share one bucket;"
                    + " build RateLimitFeature with remoteAddress(...) for this runtime");
        }
        Resolution resolution = keys.resolve(new JaxrsRequestView(request, peer));
        switch (resolution.action()) {
            case SKIP -> {}
            case REJECT -> request.abortWith(response(resolution.rejection()));
            case LIMIT -> limit(request, requireNonNull(resolution.key()));
        }
    }

    private void limit(ContainerRequestContext request, BucketKey key) {
        Decision decision;
        try {
            decision = limiter.tryConsume(policy, key, cost);
        } catch (IllegalArgumentException e) {
            // The policy changed at runtime so that this resource's cost no longer fits: a server-side mistake.
            LOG.warn("rate limiting of policy {} skipped: {}; fix the policy or the cost", policy, e.getMessage());
            return;
        }
        HttpAnswer answer = HttpAnswer.of(policy, decision, headersOnAllowed);
        request.setProperty(answerProperty, answer);
        if (!answer.proceed()) {
            LOG.debug("denied a request of policy {}", policy);
            request.abortWith(response(answer));
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(answerProperty) instanceof HttpAnswer answer && answer.proceed()) {
            MultivaluedMap<String, Object> headers = response.getHeaders();
            for (HttpHeader header : answer.headers()) {
                headers.putSingle(header.name(), header.value());
            }
        }
    }

    /** The stopping answer as a JAX-RS response. */
    static Response response(HttpAnswer answer) {
        Response.ResponseBuilder builder = Response.status(answer.status());
        for (HttpHeader header : answer.headers()) {
            builder.header(header.name(), header.value());
        }
        String body = answer.body();
        if (body != null) {
            builder.type(HttpAnswer.PROBLEM_JSON).entity(body);
        }
        return builder.build();
    }
}
