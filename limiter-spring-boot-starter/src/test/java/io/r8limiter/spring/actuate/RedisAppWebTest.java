package io.r8limiter.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.RateLimitBackend;
import io.r8limiter.redis.RedisBackend;
import io.r8limiter.spring.testapp.Http;
import io.r8limiter.spring.testapp.TestApp;
import io.r8limiter.testkit.RedisServerProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The test app on the Redis backend, with no trusted proxy and Boot's default web exposure; its own Redis server is
 * stopped by the last test to show that an outage leaves the probes up.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("redisapp")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisAppWebTest {

    static final RedisServerProcess REDIS = RedisServerProcess.start();

    @LocalServerPort
    int port;

    @Autowired
    RateLimitBackend backend;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + REDIS.port());
    }

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @Test
    @Order(1)
    void withoutTrustedProxies_forwardingHeadersAreIgnored() {
        // C17 1: random X-Forwarded-For and Forwarded values from an untrusted peer never pick a fresh bucket.
        Http http = new Http(port);
        List<Integer> statuses = new ArrayList<>();

        for (int i = 0; i < 10; i++) {
            String random = "198.51.100." + ThreadLocalRandom.current().nextInt(1, 255);
            statuses.add(http.get("/api/keys/client-ip", "X-Forwarded-For", random, "Forwarded", "for=" + random)
                    .statusCode());
        }

        assertThat(backend).isInstanceOf(RedisBackend.class);
        assertThat(statuses).containsExactly(200, 200, 429, 429, 429, 429, 429, 429, 429, 429);
    }

    @Test
    @Order(2)
    void endpointIsNotExposed_byDefault() {
        // C19 5: with the starter alone, web exposure stays at Boot's default (health).
        assertThat(new Http(port).getAs("admin", "/actuator/ratelimit").statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(3)
    void redisOutage_turnsTheContributorDown_butLeavesLivenessAndReadinessUp() {
        Http http = new Http(port);
        assertThat(http.get("/actuator/health/r8limiter").body()).contains("\"status\":\"UP\"");

        REDIS.stop();

        assertThat(http.get("/api/keys/client-ip").statusCode()).isEqualTo(429);
        String health = http.get("/actuator/health/r8limiter").body();
        assertThat(health)
                .contains("\"status\":\"DOWN\"")
                .contains("\"circuit\":")
                .contains("\"failureMode\":\"closed\"");
        assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }
}
