package io.r8limiter.jaxrs;

import static java.util.Objects.requireNonNull;

import io.r8limiter.Policy;
import io.r8limiter.RateLimited;
import io.r8limiter.RateLimiter;
import io.r8limiter.web.ClientIpResolver;
import io.r8limiter.web.KeySpec;
import io.r8limiter.web.MissingKey;
import io.r8limiter.web.RequestKeys;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Rate-limits the JAX-RS resource methods annotated with {@link RateLimited}, directly or through their class
 * (the method's annotation wins): register one instance with the application, built around its
 * {@link RateLimiter}.
 *
 * <p>The annotations are read once, when the runtime builds its resource model: each limited method gets its own
 * request and response filter, and unannotated methods get none and cost nothing. A policy the limiter does not
 * know, a bad key spec or a cost above the policy's capacity fails the application's start with an
 * {@link IllegalArgumentException} naming the resource method. A denied request is aborted with status 429,
 * {@code Retry-After}, the RateLimit fields and an {@code application/problem+json} body; an allowed one gets the
 * RateLimit fields on its response (unless turned off). The filters run at priority {@link #PRIORITY}, after
 * authentication, so {@code principal} keys see the caller. A backend outage never fails a request: the backend's
 * failure mode answers. Works on any Jakarta REST 4 runtime; thread-safe.
 *
 * @since 0.1
 */
public final class RateLimitFeature implements DynamicFeature {

    /** The filters' priority: after authentication, before authorization. */
    public static final int PRIORITY = Priorities.AUTHENTICATION + 500;

    private static final boolean SERVLET_PRESENT = servletPresent();

    private final RateLimiter limiter;
    private final ClientIpResolver clientIps;
    private final MissingKey missingKey;
    private final boolean headersOnAllowed;
    private final @Nullable RemoteAddress remoteAddress;

    private RateLimitFeature(Builder b) {
        this.limiter = b.limiter;
        this.clientIps = b.clientIps;
        this.missingKey = b.missingKey;
        this.headersOnAllowed = b.headersOnAllowed;
        this.remoteAddress = b.remoteAddress;
    }

    /** A feature with the defaults: no trusted proxy, missing keys falling back to the client address, headers on. */
    public static RateLimitFeature of(RateLimiter limiter) {
        return builder(limiter).build();
    }

    /** Starts a feature deciding with {@code limiter}. */
    public static Builder builder(RateLimiter limiter) {
        return new Builder(limiter);
    }

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        Method method = resourceInfo.getResourceMethod();
        Class<?> type = resourceInfo.getResourceClass();
        RateLimited annotation = method == null ? null : method.getAnnotation(RateLimited.class);
        if (annotation == null && type != null) {
            annotation = type.getAnnotation(RateLimited.class);
        }
        if (annotation != null) {
            if (remoteAddress == null && SERVLET_PRESENT) {
                context.register(ServletPeerAddress.class, PRIORITY - 1);
            }
            context.register(filterFor(annotation, type, method), PRIORITY);
        }
    }

    private RateLimitFilter filterFor(RateLimited annotation, @Nullable Class<?> type, @Nullable Method method) {
        String where = (type == null ? "?" : type.getName()) + "#" + (method == null ? "?" : method.getName());
        try {
            Policy policy = limiter.policies().require(annotation.policy());
            RateLimiter.checkCost(policy, annotation.cost());
            ClassLoader loader = type != null ? type.getClassLoader() : RateLimitFeature.class.getClassLoader();
            KeySpec key = KeySpec.parse(annotation.key(), loader);
            RequestKeys keys = RequestKeys.of(key, clientIps, missingKey);
            RemoteAddress address = remoteAddress != null ? remoteAddress : request -> "";
            return new RateLimitFilter(limiter, policy.name(), annotation.cost(), keys, headersOnAllowed, address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("@RateLimited on " + where + " is invalid: " + e.getMessage(), e);
        }
    }

    private static boolean servletPresent() {
        try {
            Class.forName("jakarta.servlet.http.HttpServletRequest", false, RateLimitFeature.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Configures a {@link RateLimitFeature}; not thread-safe, build once at startup.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final RateLimiter limiter;
        private ClientIpResolver clientIps = ClientIpResolver.none();
        private MissingKey missingKey = MissingKey.CLIENT_IP;
        private boolean headersOnAllowed = true;
        private @Nullable RemoteAddress remoteAddress;

        private Builder(RateLimiter limiter) {
            this.limiter = requireNonNull(limiter, "limiter");
        }

        /** Proxies whose forwarding headers are believed (addresses or CIDR blocks); none by default. */
        public Builder trustedProxies(String... proxies) {
            return clientIps(ClientIpResolver.of(List.of(proxies)));
        }

        /** How client addresses are found; trusting no proxy by default. */
        public Builder clientIps(ClientIpResolver resolver) {
            this.clientIps = requireNonNull(resolver, "resolver");
            return this;
        }

        /** What to do when a key has no value; {@link MissingKey#CLIENT_IP} by default. */
        public Builder missingKey(MissingKey behaviour) {
            this.missingKey = requireNonNull(behaviour, "behaviour");
            return this;
        }

        /** Whether allowed responses carry the RateLimit fields; true by default. */
        public Builder headersOnAllowed(boolean enabled) {
            this.headersOnAllowed = enabled;
            return this;
        }

        /** Where the peer address comes from; read from the servlet request by default, when there is one. */
        public Builder remoteAddress(RemoteAddress source) {
            this.remoteAddress = requireNonNull(source, "source");
            return this;
        }

        /** The feature. */
        public RateLimitFeature build() {
            return new RateLimitFeature(this);
        }
    }
}
