package io.r8limiter.spring.mvc;

import io.r8limiter.RateLimiter;
import io.r8limiter.spring.autoconfigure.RateLimiterAutoConfiguration;
import io.r8limiter.spring.autoconfigure.RateLimiterProperties;
import io.r8limiter.web.ClientIpResolver;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC: the {@link RateLimitInterceptor} for {@code @RateLimited} handlers and {@code r8limiter.rules}, and
 * the {@link ClientIpResolver} built from {@code r8limiter.trusted-proxies}. Off with
 * {@code r8limiter.web.enabled=false}.
 *
 * <p>The interceptor is added to the application's handler mappings only, not to the actuator's, so management
 * endpoints are never charged to the limits they manage. An interceptor bean of the application replaces the
 * starter's and is the one registered; a bean named {@code r8limiterWebMvcConfigurer} replaces the registration, for
 * an application that registers the interceptor on chosen paths itself.
 *
 * @since 0.1
 */
@AutoConfiguration(after = RateLimiterAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(RateLimiter.class)
@ConditionalOnBooleanProperty(name = "r8limiter.web.enabled", matchIfMissing = true)
public final class RateLimiterWebMvcAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ClientIpResolver r8limiterClientIpResolver(RateLimiterProperties properties) {
        return ClientIpResolver.of(properties.getTrustedProxies());
    }

    @Bean
    @ConditionalOnMissingBean
    RateLimitInterceptor r8limiterInterceptor(
            RateLimiter limiter, ClientIpResolver ips, RateLimiterProperties properties) {
        return new RateLimitInterceptor(limiter, ips, properties);
    }

    @Bean
    @ConditionalOnMissingBean(name = "r8limiterHandlerMethodScan")
    HandlerMethodScan r8limiterHandlerMethodScan(ListableBeanFactory beans, RateLimitInterceptor interceptor) {
        return new HandlerMethodScan(beans, interceptor);
    }

    /** Backs off by name only: applications commonly have WebMvcConfigurer beans of their own. */
    @Bean
    @ConditionalOnMissingBean(name = "r8limiterWebMvcConfigurer")
    WebMvcConfigurer r8limiterWebMvcConfigurer(RateLimitInterceptor interceptor) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(interceptor);
            }
        };
    }
}
