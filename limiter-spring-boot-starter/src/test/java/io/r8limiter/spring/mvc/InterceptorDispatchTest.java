package io.r8limiter.spring.mvc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.r8limiter.RateLimited;
import io.r8limiter.spring.autoconfigure.RateLimiterAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The interceptor's answers under {@code r8limiter.headers.enabled}. */
class InterceptorDispatchTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    WebMvcAutoConfiguration.class,
                    RateLimiterAutoConfiguration.class,
                    RateLimiterWebMvcAutoConfiguration.class))
            .withBean(OneController.class)
            .withPropertyValues(
                    "r8limiter.policies.one.limits[0].capacity=1", "r8limiter.policies.one.limits[0].refill-period=1h");

    @Test
    void headersDisabled_allowedAnswersCarryNoRateLimitFields_butDenialsStillSayWhenToRetry() {
        runner.withPropertyValues("r8limiter.headers.enabled=false").run(context -> {
            MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();

            mvc.perform(get("/one"))
                    .andExpect(status().isOk())
                    .andExpect(header().doesNotExist("RateLimit"))
                    .andExpect(header().doesNotExist("RateLimit-Policy"));
            mvc.perform(get("/one")).andExpect(status().isTooManyRequests()).andExpect(header().exists("Retry-After"));
        });
    }

    @Test
    void headersEnabledByDefault_allowedAnswersCarryTheFields() {
        runner.run(context -> MockMvcBuilders.webAppContextSetup(context)
                .build()
                .perform(get("/one"))
                .andExpect(header().string("RateLimit-Policy", "\"one\";q=1;w=3600")));
    }

    @RestController
    static class OneController {
        @GetMapping("/one")
        @RateLimited(policy = "one")
        String one() {
            return "one";
        }
    }
}
