package io.r8limiter.spring.actuate;

import io.r8limiter.RateLimiter;
import io.r8limiter.spring.autoconfigure.RateLimiterAutoConfiguration;
import io.r8limiter.spring.autoconfigure.RateLimiterProperties;
import io.r8limiter.stats.RateLimitStats;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * The {@code ratelimit} actuator endpoint, created only when it is available: enabled, and exposed over the web
 * (with Boot's defaults it is not, until {@code management.endpoints.web.exposure.include} names it). It is a web
 * endpoint only, never exposed over JMX, where no caller's role could be checked.
 *
 * <p>When Spring Security is on the classpath, every operation requires {@code r8limiter.endpoint.role}.
 *
 * @since 0.1
 */
@AutoConfiguration(after = RateLimiterAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(RateLimiter.class)
@ConditionalOnAvailableEndpoint(endpoint = RateLimitEndpoint.class, exposure = EndpointExposure.WEB)
public final class RateLimiterEndpointAutoConfiguration {

    private static final String SPRING_SECURITY = "org.springframework.security.core.Authentication";

    @Bean
    @ConditionalOnMissingBean
    RateLimitEndpoint r8limiterEndpoint(RateLimiter limiter, ObjectProvider<RateLimitStats> stats) {
        return new RateLimitEndpoint(limiter, stats.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(RateLimitEndpoint.class)
    RateLimitEndpointWebExtension r8limiterEndpointWebExtension(
            RateLimitEndpoint endpoint, RateLimiterProperties properties, ResourceLoader application) {
        boolean secured = ClassUtils.isPresent(SPRING_SECURITY, application.getClassLoader());
        return new RateLimitEndpointWebExtension(
                endpoint, secured ? properties.getEndpoint().getRole() : null);
    }
}
