package io.r8limiter.spring.mvc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.RateLimiter;
import io.r8limiter.spring.testapp.Http;
import io.r8limiter.spring.testapp.TestApp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The interceptor in the test app on a real port, run once per backend by the subclasses: annotated controllers, URL
 * rules, SpEL keys over headers and path variables, client addresses behind proxies.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractInterceptorWebTest {

    @LocalServerPort
    int port;

    @Autowired
    RateLimiter limiter;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void methodAnnotationWins_classAnnotationCoversSiblings_andRulesSkipAnnotatedHandlers() {
        // C02 C: each request is charged to exactly one policy; the class policy must not move for m1.
        BucketKey alice = BucketKey.of("principal", "carol");

        List<Integer> statuses = http.getAllAs("carol", "/api/c02/m1", 301);

        assertThat(statuses).filteredOn(status -> status == 200).hasSize(300);
        assertThat(statuses).filteredOn(status -> status == 429).hasSize(1);
        assertThat(limiter.peek("cls", alice).remaining()).isEqualTo(600);
        assertThat(limiter.peek("global", alice).remaining()).isEqualTo(1000);
        assertThat(http.getAs("carol", "/api/c02/m2").statusCode()).isEqualTo(200);
        assertThat(limiter.peek("cls", alice).remaining()).isEqualTo(599);
        assertThat(limiter.peek("meth", alice).remaining()).isZero();
    }

    @Test
    void policyIsPartOfTheKey_soTwoMethodsNeverShareABucket() {
        // C09 g: draining one method's policy must leave the other method's bucket full.
        for (int i = 0; i < 3; i++) {
            assertThat(http.getAs("bob", "/api/c09/three").statusCode()).isEqualTo(200);
        }
        assertThat(http.getAs("bob", "/api/c09/three").statusCode()).isEqualTo(429);

        HttpResponse<String> other = http.getAs("bob", "/api/c09/five");

        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(Http.remaining(other)).isEqualTo(4);
    }

    @Test
    void slowRefill_deniesWithRetryAfterOfAnHour() {
        // C08 run 2: one token per hour; the second request waits about 3599 s, never 0 and never a truncated value.
        HttpResponse<String> first = http.get("/api/keys/slow", "X-Forwarded-For", "198.51.100.80");
        HttpResponse<String> second = http.get("/api/keys/slow", "X-Forwarded-For", "198.51.100.80");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"slow\";q=1;w=3600");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(second.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(3598L, 3600L);
        assertThat(second.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(second.body()).contains("\"status\":429").contains("\"title\":\"Too Many Requests\"");
    }

    @Test
    void dailyQuotaAboveIntRange_isAdvertisedExactly() {
        // C08 run 1: capacity 3,000,000,000 reaches the headers without truncation.
        HttpResponse<String> response = http.get("/api/keys/daily", "X-User", "u1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("RateLimit-Policy")).hasValue("\"daily\";q=3000000000;w=86400");
        assertThat(Http.remaining(response)).isEqualTo(2_999_999_999L);
    }

    @Test
    void spelClientIp_ignoresForwardingHeadersFromUntrustedHops_andWalksFromTheRight() {
        // C17 2-4: what the caller prepends to X-Forwarded-For or Forwarded buys no extra requests.
        assertThreeRequests(
                n -> http.get("/api/keys/client-ip", "X-Forwarded-For", "198.51.100." + n + ", 203.0.113.7"));
        assertThreeRequests(
                n -> http.get("/api/keys/client-ip", "Forwarded", "for=198.51.100." + n + ", for=203.0.113.7"));
        assertThreeRequests(
                n -> http.get("/api/keys/client-ip", "X-Forwarded-For", "198.51.100." + n + ", 203.0.113.7, 10.1.2.3"));
    }

    @Test
    void spelClientIp_withMalformedForwardingHeaders_neverGivesAFreshBucket() {
        // C17 5: garbage, impossible addresses, empty values and split header lines all fall back to a stable key.
        assertThreeRequests(n -> http.get("/api/keys/client-ip", "X-Forwarded-For", "garbage" + n));
        assertThreeRequests(n -> http.get("/api/keys/client-ip", "X-Forwarded-For", "1.2.3." + n + ".5"));
        assertThreeRequests(n -> http.send(http.request("/api/keys/client-ip")
                .header("X-Forwarded-For", "")
                .header("X-Request-N", Integer.toString(n))
                .build()));
        assertThreeRequests(n -> http.send(http.request("/api/keys/client-ip")
                .header("X-Forwarded-For", "198.51.100." + n)
                .header("X-Forwarded-For", "203.0.113.7")
                .build()));
    }

    @Test
    void spelKey_readsHeadersAndPathVariables_inSeparateBuckets() {
        assertThat(http.get("/api/keys/api-key/t1", "X-Api-Key", "k1").statusCode())
                .isEqualTo(200);
        assertThat(http.get("/api/keys/api-key/t1", "X-Api-Key", "k1").statusCode())
                .isEqualTo(429);
        assertThat(http.get("/api/keys/api-key/t1", "X-Api-Key", "k2").statusCode())
                .isEqualTo(200);
        assertThat(http.get("/api/keys/api-key/t1").statusCode()).isEqualTo(200);
        assertThat(http.get("/api/keys/api-key/t1").statusCode()).isEqualTo(429);
        assertThat(http.get("/api/keys/api-key/t2").statusCode()).isEqualTo(200);
    }

    @Test
    void urlRules_limitUnannotatedPaths_withTheirCost() {
        HttpResponse<String> first = http.get("/rules/costly", "X-Forwarded-For", "198.51.100.70");
        HttpResponse<String> second = http.get("/rules/costly", "X-Forwarded-For", "198.51.100.70");
        HttpResponse<String> third = http.get("/rules/costly", "X-Forwarded-For", "198.51.100.70");

        assertThat(Http.remaining(first)).isEqualTo(6);
        assertThat(Http.remaining(second)).isEqualTo(2);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(http.getAs("alice", "/api/plain").headers().firstValue("RateLimit"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("\"global\";r="));
    }

    @Test
    void failingRequest_isChargedOnce_notAgainOnTheErrorDispatch() {
        // The error path is under the /rules/** rule (cost 4): charging the ERROR dispatch too would take 8.
        HttpResponse<String> response = http.get("/rules/boom", "X-Forwarded-For", "198.51.100.71");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(limiter.peek("costly", BucketKey.of("ip", "198.51.100.71")).remaining())
                .isEqualTo(6);
    }

    @Test
    void asyncRequest_isChargedOnce_notAgainOnTheAsyncDispatch() {
        HttpResponse<String> response = http.get("/api/keys/async", "X-User", "async-user");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("async");
        assertThat(Http.remaining(response)).isEqualTo(4);
        assertThat(limiter.peek("five", BucketKey.of("header:x-user", "async-user"))
                        .remaining())
                .isEqualTo(4);
    }

    @Test
    void pathsWithoutAnnotationOrRule_areNotLimited() {
        HttpResponse<String> response = http.get("/free");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("RateLimit")).isEmpty();
    }

    private void assertThreeRequests(IntFunction<HttpResponse<String>> request) {
        limiter.reset("ip2", BucketKey.of("custom:spel:ip", "203.0.113.7"));
        limiter.reset("ip2", BucketKey.of("custom:spel:ip", "127.0.0.1"));
        List<Integer> statuses = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            statuses.add(request.apply(n).statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 429);
    }
}
