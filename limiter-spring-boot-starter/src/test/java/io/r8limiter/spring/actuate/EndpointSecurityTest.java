package io.r8limiter.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.spring.autoconfigure.RateLimiterAutoConfiguration;
import java.security.Principal;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.SecurityFilterChain;

/** How the endpoint's protection depends on Spring Security, and what the starter leaves to the application. */
class EndpointSecurityTest {

    private static final String[] POLICY = {
        "r8limiter.policies.api.limits[0].capacity=5",
        "r8limiter.policies.api.limits[0].refill-period=1m",
        "management.endpoints.web.exposure.include=ratelimit"
    };

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    EndpointAutoConfiguration.class,
                    RateLimiterAutoConfiguration.class,
                    RateLimiterEndpointAutoConfiguration.class))
            .withPropertyValues(POLICY);

    @Test
    void withBootsSecurityAutoConfiguration_theOnlyChainIsBootsDefault() {
        // A chain of the starter's own would replace Boot's default and decide how the application's users
        // authenticate; the starter must leave that to the application.
        new WebApplicationContextRunner()
                .withUserConfiguration(AutoConfiguredApp.class)
                .withPropertyValues(POLICY)
                .run(context -> assertThat(context.getBeansOfType(SecurityFilterChain.class))
                        .containsOnlyKeys("managementSecurityFilterChain"));
    }

    @Test
    void withSpringSecurity_everyOperationNeedsTheConfiguredRole() {
        runner.withPropertyValues("r8limiter.endpoint.role=OPS").run(context -> {
            RateLimitEndpointWebExtension extension = context.getBean(RateLimitEndpointWebExtension.class);

            assertThat(extension.summary(caller("ADMIN"), null).getStatus()).isEqualTo(403);
            assertThat(extension.summary(caller("OPS"), null).getStatus()).isEqualTo(200);
            assertThat(extension.summary(SecurityContext.NONE, null).getStatus())
                    .isEqualTo(401);
        });
    }

    @Test
    void withoutSpringSecurity_noRoleIsChecked() {
        // Documented: without Spring Security nothing can check a role, so protecting the endpoint is left to its
        // exposure or the management port.
        runner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .run(context -> assertThat(context.getBean(RateLimitEndpointWebExtension.class)
                                .summary(SecurityContext.NONE, null)
                                .getStatus())
                        .isEqualTo(200));
    }

    private static SecurityContext caller(String role) {
        return new SecurityContext() {
            @Override
            public Principal getPrincipal() {
                return () -> "someone";
            }

            @Override
            public boolean isUserInRole(String name) {
                return role.equals(name);
            }
        };
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AutoConfiguredApp {}
}
