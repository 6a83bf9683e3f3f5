package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * The actuator on a port of its own: the ratelimit endpoint there once answered anyone, since the admin token's filter
 * guarded the traffic port only. Health and Prometheus stay open for probes and scrapers.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"r8limiter.admin.token=" + Api.TOKEN, "management.server.port=0"})
class ManagementPortTest {

    @LocalManagementPort
    int managementPort;

    @Test
    void ratelimitEndpoint_onTheManagementPort_needsTheToken() {
        Api management = new Api(managementPort);

        assertThat(management.call("GET", "/actuator/ratelimit", null, null).status())
                .isEqualTo(401);
        assertThat(management
                        .call("POST", "/actuator/ratelimit/default", "Bearer wrong", "{\"limits\":\"1/1m\"}")
                        .status())
                .isEqualTo(401);
        assertThat(management
                        .call("GET", "/actuator/ratelimit", "Bearer " + Api.TOKEN, null)
                        .status())
                .isEqualTo(200);
        assertThat(management.call("GET", "/actuator/health", null, null).status())
                .isEqualTo(200);
        assertThat(management.call("GET", "/actuator/prometheus", null, null).status())
                .isEqualTo(200);
    }
}
