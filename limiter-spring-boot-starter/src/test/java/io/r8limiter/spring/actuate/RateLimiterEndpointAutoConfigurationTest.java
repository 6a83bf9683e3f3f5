package io.r8limiter.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.spring.autoconfigure.RateLimiterAutoConfiguration;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.ExposableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.jmx.JmxEndpointsSupplier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When the endpoint exists, and where it is exposed. */
class RateLimiterEndpointAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    EndpointAutoConfiguration.class,
                    RateLimiterAutoConfiguration.class,
                    RateLimiterEndpointAutoConfiguration.class))
            .withPropertyValues(
                    "r8limiter.policies.api.limits[0].capacity=5", "r8limiter.policies.api.limits[0].refill-period=1m");

    private final ApplicationContextRunner withJmx = runner.withConfiguration(
                    AutoConfigurations.of(JmxAutoConfiguration.class, JmxEndpointAutoConfiguration.class))
            .withPropertyValues(
                    "spring.jmx.enabled=true",
                    "spring.jmx.unique-names=true",
                    "management.endpoints.jmx.exposure.include=*");

    @Test
    void byDefault_theEndpointIsNotCreated() {
        runner.run(context -> assertThat(context)
                .doesNotHaveBean(RateLimitEndpoint.class)
                .doesNotHaveBean(RateLimitEndpointWebExtension.class));
    }

    @Test
    void webExposure_createsTheEndpointAndItsGuardedExtension() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=ratelimit")
                .run(context -> assertThat(context)
                        .hasSingleBean(RateLimitEndpoint.class)
                        .hasSingleBean(RateLimitEndpointWebExtension.class));
    }

    @Test
    void jmxExposureAlone_createsNoEndpoint() {
        // JMX has no caller whose role could be checked; exposing the operations there left them unguarded.
        withJmx.run(context -> assertThat(context).doesNotHaveBean(RateLimitEndpoint.class));
    }

    @Test
    void exposedOnTheWebAndJmxIncludesAll_theMBeanStillDoesNotExist() throws Exception {
        // The probe endpoint shows that JMX exposure works at all in this context.
        withJmx.withPropertyValues("management.endpoints.web.exposure.include=ratelimit")
                .withBean(ProbeEndpoint.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(RateLimitEndpoint.class);
                    assertThat(context.getBean(JmxEndpointsSupplier.class).getEndpoints().stream()
                                    .map(ExposableEndpoint::getEndpointId))
                            .contains(EndpointId.of("probe"))
                            .doesNotContain(EndpointId.of("ratelimit"));
                    assertThat(ManagementFactory.getPlatformMBeanServer()
                                    .queryNames(new ObjectName("*:type=Endpoint,name=Ratelimit,*"), null))
                            .isEmpty();
                });
    }

    @Endpoint(id = "probe")
    static class ProbeEndpoint {
        @ReadOperation
        String read() {
            return "probe";
        }
    }
}
