package io.r8limiter.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import jakarta.servlet.Servlet;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The feature's behaviour over real HTTP, asserted the same way on every JAX-RS runtime: a subclass names the
 * runtime's servlet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JaxrsContract {

    static final String CLIENT = "203.0.113.7";

    final RateLimiter limiter = RateLimiter.builder().policies(policies()).build();
    final RateLimiter untrustedLimiter =
            RateLimiter.builder().policies(policies()).build();
    final RateLimiter tiersLimiter = RateLimiter.builder().policies(policies()).build();
    JaxrsServer server;
    JaxrsServer untrustedServer;
    JaxrsServer tiersServer;
    Http http;
    Http untrusted;
    Http tiers;

    /** The policies the test resources name. */
    static Policy[] policies() {
        return new Policy[] {
            Policy.of("three", Limit.of(3, 3, Duration.ofSeconds(60))),
            Policy.of("five", Limit.of(5, 5, Duration.ofSeconds(60))),
            Policy.of("two", Limit.of(2, 2, Duration.ofSeconds(60))),
            Policy.of("P", Limit.of(1, 1, Duration.ofMillis(1500))),
            Policy.of("crowd", Limit.of(50, 50, Duration.ofHours(1)))
        };
    }

    /** The runtime's servlet. */
    abstract Class<? extends Servlet> runtime();

    @BeforeAll
    void start() throws Exception {
        server = JaxrsServer.start(
                runtime(),
                RateLimitFeature.builder(limiter).trustedProxies("127.0.0.1").build());
        http = new Http(server.port());
        untrustedServer = JaxrsServer.start(runtime(), RateLimitFeature.of(untrustedLimiter));
        untrusted = new Http(untrustedServer.port());
        tiersServer = JaxrsServer.start(
                runtime(),
                RateLimitFeature.builder(tiersLimiter)
                        .trustedProxies("127.0.0.1", "10.0.0.0/8")
                        .build());
        tiers = new Http(tiersServer.port());
    }

    @AfterAll
    void stop() throws Exception {
        for (JaxrsServer s : new JaxrsServer[] {server, untrustedServer, tiersServer}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void fiveRequests_onCapacityThree_reportRemainingDownToZero_c03run4() {
        List<HttpResponse<String>> responses = new ArrayList<>();

        for (int i = 0; i < 5; i++) {
            responses.add(http.get("/limited", "X-User", "c03"));
        }

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 429, 429);
        assertThat(responses)
                .extracting(r -> r.headers().firstValue("RateLimit").orElseThrow())
                .containsExactly(
                        "\"three\";r=2;t=20",
                        "\"three\";r=1;t=20",
                        "\"three\";r=0;t=20",
                        "\"three\";r=0;t=20",
                        "\"three\";r=0;t=20");
        assertThat(responses)
                .extracting(r -> r.headers().firstValue("RateLimit-Policy").orElseThrow())
                .containsOnly("\"three\";q=3;w=60");
        assertThat(responses.get(0).body()).isEqualTo("limited");
    }

    @Test
    void denial_isTheSharedProblemAnswer() {
        http.statuses(3, "/limited", "X-User", "problem");

        HttpResponse<String> denied = http.get("/limited", "X-User", "problem");

        assertThat(denied.statusCode()).isEqualTo(429);
        assertThat(denied.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(denied.headers().firstValue("Retry-After")).hasValue("20");
        assertThat(denied.body())
                .matches("\\{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                        + "\"detail\":\"rate limit of policy 'three' exceeded; retry after 20 s\","
                        + "\"retry_after_ms\":19\\d\\d\\d,\"retry_after\":20}");
    }

    @Test
    void methodAnnotation_winsOverClass() {
        HttpResponse<String> response = http.get("/limited/five", "X-User", "method");

        assertThat(response.headers().firstValue("RateLimit-Policy")).hasValue("\"five\";q=5;w=60");
    }

    @Test
    void cost_isTakenFromTheAnnotation() {
        HttpResponse<String> response = http.get("/limited/heavy", "X-User", "heavy");

        assertThat(response.headers().firstValue("RateLimit")).hasValue("\"five\";r=3;t=12");
    }

    @Test
    void policyIsPartOfTheKey_forTheSamePrincipal_c09g() {
        List<Integer> drained = http.statuses(3, "/principal/three", "X-Login", "alice");

        HttpResponse<String> other = http.get("/principal/five", "X-Login", "alice");

        assertThat(drained).containsOnly(200);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("RateLimit")).hasValue("\"five\";r=4;t=12");
    }

    @Test
    void unannotatedResources_areNeverLimited() {
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            responses.add(http.get("/open"));
        }

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(responses.get(9).headers().firstValue("RateLimit")).isEmpty();
    }

    @Test
    void trustedProxy_keysOnRightmostUntrustedAddress_c17() {
        limiter.reset("two", BucketKey.of("ip", CLIENT));
        List<Integer> statuses = new ArrayList<>();

        for (int n = 1; n <= 3; n++) {
            statuses.add(http.get("/ip", "X-Forwarded-For", "198.51.100." + n + ", " + CLIENT)
                    .statusCode());
        }

        assertThat(statuses).containsExactly(200, 200, 429);
        assertThat(limiter.peek("two", BucketKey.of("ip", CLIENT)).remaining()).isZero();
    }

    @Test
    void malformedForwardingHeaders_neverBuyAFreshBucket_c17run5() {
        List<List<Integer>> variants = new ArrayList<>();
        int[] n = {0};
        List<Supplier<String[]>> headers = List.of(
                () -> new String[] {"X-Forwarded-For", "garbage" + n[0]},
                () -> new String[] {"X-Forwarded-For", "1.2.3." + n[0] + ".5"},
                () -> new String[] {"X-Forwarded-For", ""},
                () -> new String[] {"X-Forwarded-For", "198.51.100." + n[0], "X-Forwarded-For", CLIENT},
                () -> new String[] {"X-Forwarded-For", "garbage" + n[0], "Forwarded", "for=1.2.3." + n[0] + ".5"});

        for (Supplier<String[]> variant : headers) {
            limiter.reset("two", BucketKey.of("ip", "127.0.0.1"));
            limiter.reset("two", BucketKey.of("ip", CLIENT));
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                n[0]++;
                statuses.add(http.get("/ip", variant.get()).statusCode());
            }
            variants.add(statuses);
        }

        assertThat(variants).containsOnly(List.of(200, 200, 429));
    }

    @Test
    void untrustedPeer_cannotDodgeTheLimitWithForwardingHeaders_c17run1() {
        Random random = new Random(17);
        List<Integer> statuses = new ArrayList<>();

        for (int i = 0; i < 10; i++) {
            String ip = random.nextInt(256) + "." + random.nextInt(256) + ".1.1";
            statuses.add(untrusted
                    .get("/ip", "X-Forwarded-For", ip, "Forwarded", "for=" + ip)
                    .statusCode());
        }

        assertThat(statuses).containsExactly(200, 200, 429, 429, 429, 429, 429, 429, 429, 429);
        assertThat(untrustedLimiter.peek("two", BucketKey.of("ip", "127.0.0.1")).remaining())
                .isZero();
    }

    @Test
    void trustedProxy_readsForwardedToo_c17run3() {
        limiter.reset("two", BucketKey.of("ip", CLIENT));
        List<Integer> statuses = new ArrayList<>();

        for (int n = 1; n <= 3; n++) {
            statuses.add(http.get("/ip", "Forwarded", "for=198.51.100." + n + ", for=" + CLIENT)
                    .statusCode());
        }

        assertThat(statuses).containsExactly(200, 200, 429);
        assertThat(limiter.peek("two", BucketKey.of("ip", CLIENT)).remaining()).isZero();
    }

    @Test
    void twoTiersOfTrustedProxies_arePassed_c17run4() {
        List<Integer> statuses = tiers.statuses(3, "/ip", "X-Forwarded-For", "198.51.100.9, " + CLIENT + ", 10.1.2.3");

        assertThat(statuses).containsExactly(200, 200, 429);
        assertThat(tiersLimiter.peek("two", BucketKey.of("ip", CLIENT)).remaining())
                .isZero();
    }

    @Test
    void userHeaderAndAnonymousCaller_liveInSeparateBuckets_c09h() {
        http.statuses(3, "/limited", "X-User", "10.0.0.1");

        HttpResponse<String> anonymous = http.get("/limited", "X-Forwarded-For", "10.0.0.1");

        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.headers().firstValue("RateLimit")).hasValue("\"three\";r=2;t=20");
    }

    @Test
    void slowRefill_retryAfterTwoSeconds_thenAllowed_c04run5() throws InterruptedException {
        HttpResponse<String> first = http.get("/limited/slow", "X-User", "c04");
        HttpResponse<String> second = http.get("/limited/slow", "X-User", "c04");
        long waitSeconds =
                Long.parseLong(second.headers().firstValue("Retry-After").orElseThrow());

        Thread.sleep(waitSeconds * 1000);
        HttpResponse<String> retry = http.get("/limited/slow", "X-User", "c04");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(waitSeconds).isEqualTo(2);
        assertThat(second.body()).matches(".*\"retry_after_ms\":1[45]\\d\\d,\"retry_after\":2}");
        assertThat(retry.statusCode()).isEqualTo(200);
    }

    @Test
    void twoHundredParallelRequests_onOneKey_admitExactlyTheCapacity() {
        List<Integer> statuses = http.parallel(200, "/limited/crowd", "X-User", "crowd");

        assertThat(Collections.frequency(statuses, 200)).isEqualTo(50);
        assertThat(Collections.frequency(statuses, 429)).isEqualTo(150);
    }
}
