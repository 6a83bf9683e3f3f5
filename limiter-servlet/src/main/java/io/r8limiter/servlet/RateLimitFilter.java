package io.r8limiter.servlet;

import static java.util.Objects.requireNonNull;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.RateLimiter;
import io.r8limiter.web.ClientIpResolver;
import io.r8limiter.web.HttpAnswer;
import io.r8limiter.web.HttpHeader;
import io.r8limiter.web.KeySpec;
import io.r8limiter.web.MissingKey;
import io.r8limiter.web.RequestKeys;
import io.r8limiter.web.RequestKeys.Resolution;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A servlet filter that takes tokens for each request and answers 429 when there are none.
 *
 * <p>Two ways to use it. Declared in {@code web.xml} (public no-argument constructor), it reads its init-params in
 * {@link #init}: the limits ({@code capacity}, {@code refill-tokens}, {@code refill-period}; comma-separated for
 * several limits), the key, the backend and the rest, as listed in the README; a bad or missing value fails
 * {@code init} with a {@link ServletException} naming the init-param, and the limiter it builds is closed in
 * {@link #destroy}. Built in code with {@link #builder(RateLimiter, String)}, it decides with the application's
 * limiter, ignores init-params and leaves that limiter open.
 *
 * <p>Each request is counted once per filter: the first pass through this filter takes tokens, whatever its
 * {@link DispatcherType} (so a filter mapped only to {@code FORWARD} or {@code ERROR} dispatches limits those), and a
 * request attribute of this filter instance keeps later passes (async, forward, include and error dispatches, a
 * filter mapped twice) from taking them again. Two filters never skip each other, even with the same policy name.
 * A denial on an {@code INCLUDE} dispatch cannot change the status (the container ignores it there): the problem
 * text takes the place of the included content; map the filter to {@code REQUEST} to answer 429. An allowed
 * request gets the RateLimit header fields (unless turned off) and goes on down the chain; a denied one gets status
 * 429, {@code Retry-After}, the RateLimit fields and an {@code application/problem+json} body, written directly with
 * {@code setStatus} so that no error page replaces it. A backend outage never fails the request: the backend's
 * failure mode answers. Runs on the request thread; thread-safe.
 *
 * @since 0.1
 */
public class RateLimitFilter implements Filter {

    /** Prefix of the request attribute that marks a request as counted by one filter instance. */
    public static final String COUNTED_ATTRIBUTE = RateLimitFilter.class.getName() + ".counted.";

    private static final Logger LOG = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final AtomicLong INSTANCES = new AtomicLong();

    private final String countedAttribute = COUNTED_ATTRIBUTE + INSTANCES.incrementAndGet();
    private @Nullable Setup setup;
    private boolean ownsLimiter;

    /** A filter configured from its init-params in {@link #init}, as {@code web.xml} declares it. */
    public RateLimitFilter() {}

    private RateLimitFilter(Setup setup) {
        this.setup = setup;
    }

    /** Starts a filter deciding with {@code limiter} under {@code policy}, which the limiter must know. */
    public static Builder builder(RateLimiter limiter, String policy) {
        return new Builder(limiter, policy);
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        if (setup != null) {
            return;
        }
        String name = config.getFilterName();
        try {
            FilterSettings settings = FilterSettings.read(
                    name, Collections.list(config.getInitParameterNames()), config::getInitParameter, loader(config));
            RateLimiter limiter = limiter(settings);
            setup = new Setup(
                    limiter,
                    settings.policy.name(),
                    RequestKeys.of(settings.key, settings.clientIps, settings.missingKey),
                    settings.cost,
                    settings.headersOnAllowed);
            ownsLimiter = true;
            LOG.debug("rate-limit filter '{}' ready: {}, backend {}", name, settings.policy, settings.backend);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ServletException("rate-limit filter '" + name + "': " + e.getMessage(), e);
        }
    }

    /** The limiter the init-params describe; the backend is closed again if the limiter cannot be built. */
    private static RateLimiter limiter(FilterSettings settings) {
        RateLimitBackend backend = Backends.create(settings);
        try {
            return RateLimiter.builder()
                    .backend(backend)
                    .policies(settings.policy)
                    .build();
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        Setup s = setup;
        if (s == null) {
            throw new IllegalStateException("the rate-limit filter was used before init");
        }
        if (!(req instanceof HttpServletRequest request)
                || !(res instanceof HttpServletResponse response)
                || request.getAttribute(countedAttribute) != null) {
            chain.doFilter(req, res);
            return;
        }
        request.setAttribute(countedAttribute, s.policy);
        Resolution resolution = s.keys.resolve(new ServletRequestView(request));
        switch (resolution.action()) {
            case SKIP -> chain.doFilter(request, response);
            case REJECT -> write(response, resolution.rejection());
            case LIMIT -> limit(s, requireNonNull(resolution.key()), request, response, chain);
        }
    }

    private static void limit(
            Setup s, BucketKey key, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Decision decision;
        try {
            decision = s.limiter.tryConsume(s.policy, key, s.cost);
        } catch (IllegalArgumentException e) {
            // The policy changed at runtime so that the cost no longer fits: a server-side mistake, not the client's.
            LOG.warn("rate limiting of policy {} skipped: {}; fix the policy or the cost", s.policy, e.getMessage());
            chain.doFilter(request, response);
            return;
        }
        HttpAnswer answer = HttpAnswer.of(s.policy, decision, s.headersOnAllowed);
        if (answer.proceed()) {
            for (HttpHeader header : answer.headers()) {
                response.setHeader(header.name(), header.value());
            }
            chain.doFilter(request, response);
        } else {
            LOG.debug("denied a request of policy {}", s.policy);
            write(response, answer);
        }
    }

    /** Writes a stopping answer: status, headers and the problem body, bypassing error pages. */
    static void write(HttpServletResponse response, HttpAnswer answer) throws IOException {
        response.resetBuffer();
        response.setStatus(answer.status());
        for (HttpHeader header : answer.headers()) {
            response.setHeader(header.name(), header.value());
        }
        String body = answer.body();
        if (body != null) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.setContentType(HttpAnswer.PROBLEM_JSON);
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
        response.flushBuffer();
    }

    /** The limiter this filter decides with; null before {@link #init}. */
    public @Nullable RateLimiter limiter() {
        Setup s = setup;
        return s == null ? null : s.limiter;
    }

    /** The policy this filter decides under; null before {@link #init}. */
    public @Nullable String policy() {
        Setup s = setup;
        return s == null ? null : s.policy;
    }

    @Override
    public void destroy() {
        Setup s = setup;
        if (s != null && ownsLimiter) {
            s.limiter.close();
        }
    }

    private static ClassLoader loader(FilterConfig config) {
        ServletContext context = config.getServletContext();
        ClassLoader loader = context == null ? null : context.getClassLoader();
        return loader != null ? loader : RateLimitFilter.class.getClassLoader();
    }

    private record Setup(RateLimiter limiter, String policy, RequestKeys keys, long cost, boolean headersOnAllowed) {}

    /**
     * Configures a {@link RateLimitFilter} around an application's limiter; not thread-safe, build once at startup.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final RateLimiter limiter;
        private final String policy;
        private KeySpec key = KeySpec.IP;
        private ClientIpResolver clientIps = ClientIpResolver.none();
        private MissingKey missingKey = MissingKey.CLIENT_IP;
        private long cost = 1;
        private boolean headersOnAllowed = true;

        private Builder(RateLimiter limiter, String policy) {
            this.limiter = requireNonNull(limiter, "limiter");
            this.policy = requireNonNull(policy, "policy");
        }

        /** Which part of the request identifies the caller, in the shared key syntax; {@code ip} by default. */
        public Builder key(String spec) {
            return key(KeySpec.parse(spec));
        }

        /** Which part of the request identifies the caller; the client address by default. */
        public Builder key(KeySpec spec) {
            this.key = requireNonNull(spec, "spec");
            return this;
        }

        /** Proxies whose forwarding headers are believed (addresses or CIDR blocks); none by default. */
        public Builder trustedProxies(String... proxies) {
            return clientIps(ClientIpResolver.of(java.util.List.of(proxies)));
        }

        /** How client addresses are found; trusting no proxy by default. */
        public Builder clientIps(ClientIpResolver resolver) {
            this.clientIps = requireNonNull(resolver, "resolver");
            return this;
        }

        /** What to do when the key has no value; {@link MissingKey#CLIENT_IP} by default. */
        public Builder missingKey(MissingKey behaviour) {
            this.missingKey = requireNonNull(behaviour, "behaviour");
            return this;
        }

        /** Tokens one request takes; 1 by default. */
        public Builder cost(long cost) {
            RateLimiter.checkCost(limiter.policies().require(policy), cost);
            this.cost = cost;
            return this;
        }

        /** Whether allowed responses carry the RateLimit fields; true by default. */
        public Builder headersOnAllowed(boolean enabled) {
            this.headersOnAllowed = enabled;
            return this;
        }

        /**
         * The filter.
         *
         * @throws IllegalArgumentException when the limiter does not know the policy
         */
        public RateLimitFilter build() {
            limiter.policies().require(policy);
            return new RateLimitFilter(
                    new Setup(limiter, policy, RequestKeys.of(key, clientIps, missingKey), cost, headersOnAllowed));
        }
    }
}
