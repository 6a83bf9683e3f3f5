package io.r8limiter.spring.mvc;

import io.r8limiter.PolicyStore;
import io.r8limiter.RateLimiter;
import io.r8limiter.spring.autoconfigure.RateLimiterAutoConfiguration;
import io.r8limiter.spring.autoconfigure.RateLimiterProperties;
import io.r8limiter.spring.autoconfigure.RateLimiterProperties.Rule;
import io.r8limiter.web.ClientIpResolver;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC: the {@link RateLimitInterceptor} for {@code @RateLimited} handlers and {@code r8limiter.rules}, and
 * the {@link ClientIpResolver} built from {@code r8limiter.trusted-proxies}.
 *
 * <p>The interceptor is added to the application's handler mappings only, not to the actuator's, so management
 * endpoints are never charged to the limits they manage.
 *
 * @since 0.1
 */
@AutoConfiguration(after = RateLimiterAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(RateLimiter.class)
public final class RateLimiterWebMvcAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ClientIpResolver r8limiterClientIpResolver(RateLimiterProperties properties) {
        return ClientIpResolver.of(properties.getTrustedProxies());
    }

    @Bean
    @ConditionalOnMissingBean
    RateLimitInterceptor r8limiterInterceptor(
            RateLimiter limiter, PolicyStore policies, ClientIpResolver ips, RateLimiterProperties properties) {
        RouteFactory factory =
                new RouteFactory(policies, ips, RateLimiterWebMvcAutoConfiguration.class.getClassLoader());
        RateLimitRoutes routes = new RateLimitRoutes(factory, rules(factory, properties.getRules()));
        return new RateLimitInterceptor(limiter, routes, properties.getHeaders().isEnabled());
    }

    @Bean
    HandlerMethodScan r8limiterHandlerMethodScan(ListableBeanFactory beans, RateLimitInterceptor interceptor) {
        return new HandlerMethodScan(beans, interceptor);
    }

    @Bean
    WebMvcConfigurer r8limiterWebMvcConfigurer(RateLimitInterceptor interceptor) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(interceptor);
            }
        };
    }

    private static UrlRules rules(RouteFactory factory, List<Rule> rules) {
        UrlRules.Builder builder = UrlRules.builder();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            String property = "r8limiter.rules[" + i + "]";
            if (rule.getPattern() == null || rule.getPolicy() == null) {
                throw new IllegalStateException(property + " needs both a pattern and a policy");
            }
            LimitedRoute route = factory.route(property, rule.getPolicy(), rule.getKey(), rule.getCost());
            builder.add(property + ".pattern", rule.getPattern(), route);
        }
        return builder.build();
    }
}
