package io.r8limiter.spring.mvc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.RateLimited;
import io.r8limiter.RateLimiter;
import io.r8limiter.spring.autoconfigure.RateLimiterAutoConfiguration;
import io.r8limiter.spring.autoconfigure.RateLimiterProperties;
import io.r8limiter.web.ClientIpResolver;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

class RateLimitedStartupTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    WebMvcAutoConfiguration.class,
                    RateLimiterAutoConfiguration.class,
                    RateLimiterWebMvcAutoConfiguration.class))
            .withPropertyValues(
                    "r8limiter.policies.api.limits[0].capacity=5", "r8limiter.policies.api.limits[0].refill-period=1m");

    @Test
    void validController_startsWithTheInterceptor() {
        runner.withBean(GoodController.class).run(context -> assertThat(context)
                .hasNotFailed()
                .hasSingleBean(RateLimitInterceptor.class)
                .hasBean("r8limiterClientIpResolver"));
    }

    @Test
    void unknownKeyKind_failsStartupNamingTheControllerMethod() {
        runner.withBean(BadKeyController.class).run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("@RateLimited on " + BadKeyController.class.getName() + "#get()")
                .hasStackTraceContaining(
                        "key must be ip, header:NAME, query:NAME, principal or class:FQCN" + " but was 'cookie:id'"));
    }

    @Test
    void unknownPolicy_failsStartupNamingTheControllerMethod() {
        runner.withBean(UnknownPolicyController.class).run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("@RateLimited on " + UnknownPolicyController.class.getName()
                        + "#get(): policy 'nope' is not defined"));
    }

    @Test
    void costAboveCapacity_failsStartupNamingTheControllerMethod() {
        runner.withBean(CostlyController.class).run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("#get(): cost 6 exceeds the capacity 5 of policy 'api'"));
    }

    @Test
    void spelTypeReference_failsStartup_soConfigurationCannotRunCode() {
        runner.withBean(TypeReferenceController.class).run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("@RateLimited on " + TypeReferenceController.class.getName())
                .hasStackTraceContaining("cannot be evaluated"));
    }

    @Test
    void spelMethodCall_failsStartup() {
        runner.withBean(MethodCallController.class).run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("#get(): key 'spel:header['X-User'].toUpperCase()' cannot be" + " evaluated"));
    }

    @Test
    void spelBeanReference_failsStartup() {
        runner.withBean(BeanReferenceController.class)
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("cannot be evaluated"));
    }

    @Test
    void spelSyntaxError_failsStartup() {
        runner.withBean(SyntaxErrorController.class)
                .run(context ->
                        assertThat(context).getFailure().hasStackTraceContaining("is not a valid SpEL expression"));
    }

    @Test
    void badUrlRule_failsStartupNamingTheProperty() {
        runner.withPropertyValues(
                        "r8limiter.rules[0].pattern=/api/**",
                        "r8limiter.rules[0].policy=api",
                        "r8limiter.rules[1].pattern=/x/**",
                        "r8limiter.rules[1].policy=missing")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("r8limiter.rules[1]: policy 'missing' is not defined"));
        runner.withPropertyValues(
                        "r8limiter.rules[0].pattern=/api/**",
                        "r8limiter.rules[0].policy=api",
                        "r8limiter.rules[0].key=spel:T(java.lang.System).exit(1)")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining(
                                "r8limiter.rules[0]: key 'spel:T(java.lang.System).exit(1)' cannot be" + " evaluated"));
    }

    @Test
    void applicationsInterceptor_replacesTheStarters_andIsTheOneRegistered() {
        // The interceptor had no public constructor, so the documented back-off could never happen.
        runner.withBean(GoodController.class)
                .withUserConfiguration(OwnInterceptor.class)
                .run(context -> {
                    RateLimitInterceptor own = context.getBean(RateLimitInterceptor.class);

                    assertThat(context)
                            .hasSingleBean(RateLimitInterceptor.class)
                            .hasBean("ownInterceptor");
                    assertThat(interceptorsOf(context, "/good")).contains(own);
                });
    }

    @Test
    void applicationsInterceptor_stillHasBadAnnotationsFailStartup() {
        runner.withBean(BadKeyController.class)
                .withUserConfiguration(OwnInterceptor.class)
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("@RateLimited on " + BadKeyController.class.getName() + "#get()"));
    }

    @Test
    void webDisabled_registersNothing_andReadsNoAnnotations() {
        runner.withBean(BadKeyController.class)
                .withPropertyValues("r8limiter.web.enabled=false")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(RateLimitInterceptor.class)
                        .doesNotHaveBean("r8limiterWebMvcConfigurer")
                        .doesNotHaveBean("r8limiterHandlerMethodScan"));
    }

    @Test
    void applicationsOwnWebMvcConfigurer_leavesTheStartersInPlace() {
        // Backing off by type would have dropped the interceptor from any application with a WebMvcConfigurer.
        runner.withBean(GoodController.class)
                .withBean("appConfigurer", WebMvcConfigurer.class, () -> new WebMvcConfigurer() {})
                .run(context -> assertThat(interceptorsOf(context, "/good"))
                        .contains(context.getBean(RateLimitInterceptor.class)));
    }

    @Test
    void beanNamedR8limiterWebMvcConfigurer_replacesTheRegistration() {
        runner.withBean(GoodController.class)
                .withBean("r8limiterWebMvcConfigurer", WebMvcConfigurer.class, () -> new WebMvcConfigurer() {})
                .run(context -> assertThat(interceptorsOf(context, "/good"))
                        .doesNotContain(context.getBean(RateLimitInterceptor.class)));
    }

    @Test
    void withoutSpringMvc_theInterceptorBacksOff() {
        runner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
                .run(context -> assertThat(context).doesNotHaveBean(RateLimitInterceptor.class));
    }

    @Test
    void outsideAWebApplication_theInterceptorBacksOff() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        RateLimiterAutoConfiguration.class, RateLimiterWebMvcAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(RateLimitInterceptor.class));
    }

    private static List<HandlerInterceptor> interceptorsOf(ApplicationContext context, String path) throws Exception {
        HandlerExecutionChain chain = context.getBean(
                        "requestMappingHandlerMapping", RequestMappingHandlerMapping.class)
                .getHandler(new MockHttpServletRequest("GET", path));
        assertThat(chain).as(path).isNotNull();
        return chain.getInterceptorList();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnInterceptor {
        @Bean
        RateLimitInterceptor ownInterceptor(RateLimiter limiter, RateLimiterProperties properties) {
            return new RateLimitInterceptor(limiter, ClientIpResolver.of(List.of()), properties);
        }
    }

    @RestController
    static class GoodController {
        @GetMapping("/good")
        @RateLimited(policy = "api", key = "spel:header['X-User'] ?: ip")
        String get() {
            return "ok";
        }
    }

    @RestController
    static class BadKeyController {
        @GetMapping("/bad")
        @RateLimited(policy = "api", key = "cookie:id")
        String get() {
            return "bad";
        }
    }

    @RestController
    static class UnknownPolicyController {
        @GetMapping("/unknown")
        @RateLimited(policy = "nope")
        String get() {
            return "unknown";
        }
    }

    @RestController
    static class CostlyController {
        @GetMapping("/costly")
        @RateLimited(policy = "api", cost = 6)
        String get() {
            return "costly";
        }
    }

    @RestController
    static class TypeReferenceController {
        @GetMapping("/type")
        @RateLimited(policy = "api", key = "spel:T(java.lang.Runtime).getRuntime().exec('id')")
        String get() {
            return "type";
        }
    }

    @RestController
    static class MethodCallController {
        @GetMapping("/method")
        @RateLimited(policy = "api", key = "spel:header['X-User'].toUpperCase()")
        String get() {
            return "method";
        }
    }

    @RestController
    static class BeanReferenceController {
        @GetMapping("/bean")
        @RateLimited(policy = "api", key = "spel:@r8limiter.toString()")
        String get() {
            return "bean";
        }
    }

    @RestController
    static class SyntaxErrorController {
        @GetMapping("/syntax")
        @RateLimited(policy = "api", key = "spel:header[")
        String get() {
            return "syntax";
        }
    }
}
