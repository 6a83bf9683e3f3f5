package io.r8limiter.spring.mvc;

import io.r8limiter.Decision;
import io.r8limiter.RateLimiter;
import io.r8limiter.spring.autoconfigure.RateLimiterProperties;
import io.r8limiter.web.ClientIpResolver;
import io.r8limiter.web.HttpAnswer;
import io.r8limiter.web.HttpHeader;
import io.r8limiter.web.RequestKeys;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Limits Spring MVC requests: handlers annotated with {@link io.r8limiter.RateLimited} (the method's annotation
 * wins over the class's), and requests matching an {@code r8limiter.rules} entry whose handler has no annotation.
 *
 * <p>Runs once per request, on the request thread, before the handler: error, async and forward dispatches are not
 * charged again. A denial is answered here with status 429, {@code Retry-After}, the RateLimit fields and an RFC
 * 9457 problem body, and the handler does not run; an allowed request gets the RateLimit fields (unless
 * {@code r8limiter.headers.enabled=false}) and proceeds. A request whose key cannot be read is limited by its client
 * address. When the backend fails, its failure mode answers and no RateLimit fields are sent.
 *
 * @since 0.1
 */
public final class RateLimitInterceptor implements HandlerInterceptor {

    private final RateLimiter limiter;
    private final RateLimitRoutes routes;
    private final boolean headersOnAllowed;

    /**
     * An interceptor deciding with {@code limiter} and its policies, reading client addresses with {@code ips}, and
     * taking the URL rules and header option from {@code properties}. Defined as a bean, it replaces the starter's,
     * and the starter's startup scan still resolves every handler's annotations through it, so a bad one fails
     * startup.
     *
     * @throws IllegalStateException naming the property when a URL rule names an unknown policy or a bad key
     */
    public RateLimitInterceptor(RateLimiter limiter, ClientIpResolver ips, RateLimiterProperties properties) {
        this(limiter, routes(limiter, ips, properties), properties.getHeaders().isEnabled());
    }

    RateLimitInterceptor(RateLimiter limiter, RateLimitRoutes routes, boolean headersOnAllowed) {
        this.limiter = limiter;
        this.routes = routes;
        this.headersOnAllowed = headersOnAllowed;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        if (request.getDispatcherType() != DispatcherType.REQUEST) {
            return true;
        }
        ServletRequestView view = new ServletRequestView(request);
        LimitedRoute route = routes.route(handler, view.pathWithinApplication());
        if (route == null) {
            return true;
        }
        RequestKeys.Resolution resolution = route.keys().resolve(view);
        HttpAnswer answer =
                switch (resolution.action()) {
                    case SKIP -> null;
                    case REJECT -> resolution.rejection();
                    case LIMIT -> decide(route, resolution);
                };
        return answer == null || write(answer, response);
    }

    private static RateLimitRoutes routes(RateLimiter limiter, ClientIpResolver ips, RateLimiterProperties properties) {
        RouteFactory factory = new RouteFactory(limiter.policies(), ips, RateLimitInterceptor.class.getClassLoader());
        return new RateLimitRoutes(factory, UrlRules.of(factory, properties.getRules()));
    }

    /** Resolves the route of {@code handler} now, so that a bad annotation fails at startup. */
    void resolve(HandlerMethod handler) {
        routes.resolve(handler);
    }

    private HttpAnswer decide(LimitedRoute route, RequestKeys.Resolution resolution) {
        Decision decision = limiter.tryConsume(route.policy(), resolution.key(), route.cost());
        return HttpAnswer.of(route.policy(), decision, headersOnAllowed);
    }

    private static boolean write(HttpAnswer answer, HttpServletResponse response) throws IOException {
        for (HttpHeader header : answer.headers()) {
            response.setHeader(header.name(), header.value());
        }
        if (answer.proceed()) {
            return true;
        }
        response.setStatus(answer.status());
        response.setContentType(HttpAnswer.PROBLEM_JSON);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (answer.body() != null) {
            response.getWriter().write(answer.body());
        }
        return false;
    }
}
