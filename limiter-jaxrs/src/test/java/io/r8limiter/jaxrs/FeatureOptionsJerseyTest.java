package io.r8limiter.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.r8limiter.BucketKey;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.web.MissingKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The feature's builder options over HTTP on Jersey, each on a server of its own. */
class FeatureOptionsJerseyTest {

    private final RateLimiter limiter =
            RateLimiter.builder().policies(JaxrsContract.policies()).build();

    @BeforeEach
    void jerseyPresent() {
        assumeTrue(ResteasyTest.present("org.glassfish.jersey.servlet.ServletContainer"), "Jersey absent");
    }

    @Test
    void missingKey_reject_answers400Problem_withoutCounting() throws Exception {
        try (JaxrsServer server = start(RateLimitFeature.builder(limiter).missingKey(MissingKey.REJECT))) {
            HttpResponse<String> response = new Http(server.port()).get("/limited");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/problem+json");
            assertThat(response.body())
                    .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                            + "\"detail\":\"the request has no header x-user\"}");
            assertThat(limiter.peek("three", BucketKey.of("ip", "127.0.0.1")).remaining())
                    .isEqualTo(3);
        }
    }

    @Test
    void missingKey_skip_letsTheRequestThroughUnlimited() throws Exception {
        try (JaxrsServer server = start(RateLimitFeature.builder(limiter).missingKey(MissingKey.SKIP))) {
            List<HttpResponse<String>> responses = get(new Http(server.port()), 5);

            assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200);
            assertThat(responses.get(4).headers().firstValue("RateLimit")).isEmpty();
            assertThat(limiter.peek("three", BucketKey.of("ip", "127.0.0.1")).remaining())
                    .isEqualTo(3);
        }
    }

    @Test
    void missingKey_clientIp_isTheDefault_andLimitsByTheClientAddress() throws Exception {
        try (JaxrsServer server = start(RateLimitFeature.builder(limiter))) {
            List<HttpResponse<String>> responses = get(new Http(server.port()), 4);

            assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 429);
            assertThat(responses.get(0).headers().firstValue("RateLimit")).hasValue("\"three\";r=2;t=20");
            assertThat(limiter.peek("three", BucketKey.of("ip", "127.0.0.1")).remaining())
                    .isZero();
        }
    }

    @Test
    void headersOnAllowedOff_leavesAllowedResponsesBare_butExplainsDenials() throws Exception {
        try (JaxrsServer server = start(RateLimitFeature.builder(limiter).headersOnAllowed(false))) {
            List<HttpResponse<String>> responses = get(new Http(server.port()), 4);

            assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 429);
            assertThat(responses.subList(0, 3))
                    .allSatisfy(
                            r -> assertThat(r.headers().firstValue("RateLimit")).isEmpty());
            assertThat(responses.get(3).headers().firstValue("RateLimit")).hasValue("\"three\";r=0;t=20");
            assertThat(responses.get(3).headers().firstValue("Retry-After")).hasValue("20");
        }
    }

    @Test
    void annotationNamingAnUnknownPolicy_failsStartup_namingThePolicyAndTheMethod() {
        RateLimiter withoutFive = RateLimiter.builder()
                .policies(
                        Policy.of("three", Limit.of(3, 3, Duration.ofSeconds(60))),
                        Policy.of("two", Limit.of(2, 2, Duration.ofSeconds(60))),
                        Policy.of("P", Limit.of(1, 1, Duration.ofMillis(1500))),
                        Policy.of("crowd", Limit.of(50, 50, Duration.ofHours(1))))
                .build();

        // Two resource methods name "five"; the runtime configures them in no fixed order.
        assertThatThrownBy(() -> start(RateLimitFeature.builder(withoutFive)).close())
                .satisfies(e -> assertThat(stackTrace(e))
                        .containsPattern(
                                "@RateLimited on io\\.r8limiter\\.jaxrs\\.TestResources\\$(Limited|Principals)#five"
                                        + " is invalid: policy 'five' is not defined"));
    }

    private static String stackTrace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    private static JaxrsServer start(RateLimitFeature.Builder feature) throws Exception {
        return JaxrsServer.start(ServletContainer.class, feature.build());
    }

    /** {@code count} GETs of the header-keyed resource without the header. */
    private static List<HttpResponse<String>> get(Http http, int count) {
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            responses.add(http.get("/limited"));
        }
        return responses;
    }
}
