package io.r8limiter.spring.mvc;

import io.r8limiter.Policy;
import io.r8limiter.PolicyStore;
import io.r8limiter.RateLimiter;
import io.r8limiter.web.ClientIpResolver;
import io.r8limiter.web.KeySpec;
import io.r8limiter.web.MissingKey;
import io.r8limiter.web.RequestKeys;

/** Checks a policy, key and cost once, at startup, and builds the {@link LimitedRoute} they describe. */
final class RouteFactory {

    private final PolicyStore policies;
    private final ClientIpResolver ips;
    private final ClassLoader classLoader;

    RouteFactory(PolicyStore policies, ClientIpResolver ips, ClassLoader classLoader) {
        this.policies = policies;
        this.ips = ips;
        this.classLoader = classLoader;
    }

    /**
     * The route, or an {@link IllegalStateException} whose message starts with {@code source}, such as
     * {@code @RateLimited on ItemController#get(String): policy 'x' is not defined}.
     */
    LimitedRoute route(String source, String policy, String key, long cost) {
        try {
            Policy p = policies.require(policy);
            RateLimiter.checkCost(p, cost);
            return new LimitedRoute(policy, RequestKeys.of(spec(key), ips, MissingKey.CLIENT_IP), cost, source);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + ": " + e.getMessage(), e);
        }
    }

    private KeySpec spec(String key) {
        return SpelKey.isSpel(key) ? SpelKey.spec(key, ips) : KeySpec.parse(key, classLoader);
    }
}
