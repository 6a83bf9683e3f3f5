package io.r8limiter.spring.mvc;

import io.r8limiter.RateLimited;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * Finds the {@link LimitedRoute} of each handler: {@code @RateLimited} on the method, else on the controller class,
 * else the first URL rule matching the path. Annotations are resolved once per handler method, when the context
 * starts ({@link #resolve(HandlerMethod)}), so a bad key or an unknown policy fails startup.
 *
 * <p>A handler with {@code @RateLimited} (on its method or its class) is charged to that policy only; URL rules
 * apply to requests whose handler has none. Each request is therefore charged to exactly one policy.
 */
final class RateLimitRoutes {

    private final RouteFactory factory;
    private final UrlRules rules;
    private final Map<HandlerKey, Optional<LimitedRoute>> annotated = new ConcurrentHashMap<>();

    RateLimitRoutes(RouteFactory factory, UrlRules rules) {
        this.factory = factory;
        this.rules = rules;
    }

    /** The annotation-derived route of {@code handler}, resolved and remembered; empty when it has none. */
    Optional<LimitedRoute> resolve(HandlerMethod handler) {
        return annotated.computeIfAbsent(HandlerKey.of(handler), key -> Optional.ofNullable(fromAnnotations(handler)));
    }

    /** The route of a request to {@code handler} at {@code path}, or null when nothing limits it. */
    @Nullable
    LimitedRoute route(Object handler, String path) {
        if (handler instanceof HandlerMethod method) {
            Optional<LimitedRoute> route = resolve(method);
            if (route.isPresent()) {
                return route.get();
            }
        }
        return rules.match(path);
    }

    private @Nullable LimitedRoute fromAnnotations(HandlerMethod handler) {
        Method method = handler.getMethod();
        RateLimited limited = AnnotatedElementUtils.findMergedAnnotation(method, RateLimited.class);
        if (limited == null) {
            limited = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), RateLimited.class);
        }
        if (limited == null) {
            return null;
        }
        String source = "@RateLimited on "
                + ClassUtils.getUserClass(handler.getBeanType()).getName() + "#" + method.getName()
                + parameters(method);
        return factory.route(source, limited.policy(), limited.key(), limited.cost());
    }

    private static String parameters(Method method) {
        StringBuilder sb = new StringBuilder("(");
        for (Class<?> type : method.getParameterTypes()) {
            sb.append(sb.length() > 1 ? ", " : "").append(type.getSimpleName());
        }
        return sb.append(')').toString();
    }

    /** A handler method of one controller type; the same inherited method may be limited differently per type. */
    private record HandlerKey(Class<?> beanType, Method method) {
        static HandlerKey of(HandlerMethod handler) {
            return new HandlerKey(handler.getBeanType(), handler.getMethod());
        }
    }
}
