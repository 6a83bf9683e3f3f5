package io.r8limiter.spring.mvc;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Resolves the {@code @RateLimited} annotations of every mapped handler method once all singletons exist, so an
 * invalid key, an unknown policy or a cost above its capacity fails startup naming the controller method.
 */
final class HandlerMethodScan implements SmartInitializingSingleton {

    private final ListableBeanFactory beans;
    private final RateLimitInterceptor interceptor;

    HandlerMethodScan(ListableBeanFactory beans, RateLimitInterceptor interceptor) {
        this.beans = beans;
        this.interceptor = interceptor;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (RequestMappingInfoHandlerMapping mapping :
                beans.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            mapping.getHandlerMethods().values().forEach(interceptor::resolve);
        }
    }
}
