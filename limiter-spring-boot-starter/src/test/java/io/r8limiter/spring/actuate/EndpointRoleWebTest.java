package io.r8limiter.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.spring.testapp.Http;
import io.r8limiter.spring.testapp.TestApp;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** The test app with {@code r8limiter.endpoint.role=OPS}: the role setting replaces ADMIN, it does not add to it. */
@SpringBootTest(
        classes = TestApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "r8limiter.endpoint.role=OPS")
@ActiveProfiles("webapp")
class EndpointRoleWebTest {

    @LocalServerPort
    int port;

    @Test
    void configuredRole_isRequired_andAdminIsNoLongerEnough() {
        Http http = new Http(port);
        List<HttpRequest.Builder> operations = List.of(
                http.request("/actuator/ratelimit").GET(),
                http.request("/actuator/ratelimit/ops/header:x-user/u1").GET(),
                AbstractEndpointWebTest.json(http.request("/actuator/ratelimit/ops"), "{\"limits\":\"7/1m\"}"),
                http.request("/actuator/ratelimit/ops/header:x-user/u1").DELETE());

        for (HttpRequest.Builder operation : operations) {
            HttpRequest asAdmin = operation
                    .copy()
                    .header("Authorization", Http.basic("admin"))
                    .build();
            HttpRequest asOps =
                    operation.copy().header("Authorization", Http.basic("ops")).build();

            assertThat(http.send(asAdmin).statusCode())
                    .as("admin " + asAdmin.uri())
                    .isEqualTo(403);
            assertThat(http.send(asOps).statusCode()).as("ops " + asOps.uri()).isBetween(200, 204);
        }
    }
}
