package io.r8limiter.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The filter declared in a real {@code WEB-INF/web.xml}, served by Jetty 12.1 ee11, called over HTTP. */
class WebXmlFilterTest {

    private static final String CLIENT = "203.0.113.7";

    private static JettyWebApp app;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        app = JettyWebApp.start(Path.of("src/test/resources/webapp"));
        http = new Http(app.port());
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    @Test
    void fiveRequests_onCapacityThree_reportRemainingDownToZero_c03run4() {
        List<HttpResponse<String>> responses = new ArrayList<>();

        for (int i = 0; i < 5; i++) {
            responses.add(http.get("/hdr/items", "X-User", "c03"));
        }

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 429, 429);
        assertThat(responses)
                .extracting(r -> r.headers().firstValue("RateLimit").orElseThrow())
                .containsExactly(
                        "\"by-header\";r=2;t=20",
                        "\"by-header\";r=1;t=20",
                        "\"by-header\";r=0;t=20",
                        "\"by-header\";r=0;t=20",
                        "\"by-header\";r=0;t=20");
        assertThat(responses)
                .extracting(r -> r.headers().firstValue("RateLimit-Policy").orElseThrow())
                .containsOnly("\"by-header\";q=3;w=60");
        assertThat(responses.get(0).body()).isEqualTo("hello REQUEST /hdr/items");
    }

    @Test
    void denial_isAProblemJsonWithRetryAfter_notAnErrorPage() {
        http.statuses(3, "/hdr/x", "X-User", "problem");

        HttpResponse<String> denied = http.get("/hdr/x", "X-User", "problem");

        assertThat(denied.statusCode()).isEqualTo(429);
        assertThat(denied.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(denied.headers().firstValue("Retry-After")).hasValue("20");
        assertThat(denied.body())
                .startsWith("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,")
                .matches(".*\"retry_after_ms\":19\\d\\d\\d,\"retry_after\":20}");
    }

    @Test
    void userHeaderAndAnonymousCaller_liveInSeparateBuckets_c09h() {
        http.statuses(3, "/hdr/x", "X-User", "10.0.0.1");

        HttpResponse<String> anonymous = http.get("/hdr/x", "X-Forwarded-For", "10.0.0.1");

        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.headers().firstValue("RateLimit")).hasValue("\"by-header\";r=2;t=20");
    }

    @Test
    void untrustedPeer_cannotDodgeTheLimitWithForwardingHeaders_c17run1() {
        Random random = new Random(17);
        List<Integer> statuses = new ArrayList<>();

        for (int i = 0; i < 10; i++) {
            String ip = random.nextInt(256) + "." + random.nextInt(256) + ".1.1";
            statuses.add(http.get("/open/x", "X-Forwarded-For", ip, "Forwarded", "for=" + ip)
                    .statusCode());
        }

        assertThat(statuses).containsExactly(200, 200, 429, 429, 429, 429, 429, 429, 429, 429);
    }

    @Test
    void trustedProxy_keysOnRightmostUntrustedAddress_c17run2() {
        app.reset("by-ip", "ip", CLIENT);
        List<Integer> statuses = new ArrayList<>();

        for (int n = 1; n <= 3; n++) {
            statuses.add(http.get("/ip/x", "X-Forwarded-For", "198.51.100." + n + ", " + CLIENT)
                    .statusCode());
        }

        assertThat(statuses).containsExactly(200, 200, 429);
    }

    @Test
    void trustedProxy_readsForwardedToo_c17run3() {
        app.reset("by-ip", "ip", CLIENT);
        List<Integer> statuses = new ArrayList<>();

        for (int n = 1; n <= 3; n++) {
            statuses.add(http.get("/ip/x", "Forwarded", "for=198.51.100." + n + ", for=" + CLIENT)
                    .statusCode());
        }

        assertThat(statuses).containsExactly(200, 200, 429);
    }

    @Test
    void twoTiersOfTrustedProxies_arePassed_c17run4() {
        List<Integer> statuses =
                http.statuses(3, "/tiers/x", "X-Forwarded-For", "198.51.100.9, " + CLIENT + ", 10.1.2.3");

        assertThat(statuses).containsExactly(200, 200, 429);
        assertThat(app.filter("by-ip-tiers")
                        .limiter()
                        .peek("by-ip-tiers", io.r8limiter.BucketKey.of("ip", CLIENT))
                        .remaining())
                .isZero();
    }

    @Test
    void malformedForwardingHeaders_neverBuyAFreshBucket_c17run5() {
        List<List<Integer>> variants = new ArrayList<>();
        int[] n = {0};
        List<java.util.function.Supplier<String[]>> headers = List.of(
                () -> new String[] {"X-Forwarded-For", "garbage" + n[0]},
                () -> new String[] {"X-Forwarded-For", "1.2.3." + n[0] + ".5"},
                () -> new String[] {"X-Forwarded-For", ""},
                () -> new String[] {"X-Forwarded-For", "198.51.100." + n[0], "X-Forwarded-For", CLIENT});

        for (java.util.function.Supplier<String[]> variant : headers) {
            app.reset("by-ip", "ip", "127.0.0.1");
            app.reset("by-ip", "ip", CLIENT);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                n[0]++;
                statuses.add(http.get("/ip/x", variant.get()).statusCode());
            }
            variants.add(statuses);
        }

        assertThat(variants).containsOnly(List.of(200, 200, 429));
    }

    @Test
    void slowRefill_retryAfterTwoSeconds_thenAllowed_c04run5() throws InterruptedException {
        HttpResponse<String> first = http.get("/slow/x", "X-User", "c04");
        HttpResponse<String> second = http.get("/slow/x", "X-User", "c04");
        long waitSeconds =
                Long.parseLong(second.headers().firstValue("Retry-After").orElseThrow());

        Thread.sleep(waitSeconds * 1000);
        HttpResponse<String> retry = http.get("/slow/x", "X-User", "c04");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(waitSeconds).isEqualTo(2);
        assertThat(second.body()).matches(".*\"retry_after_ms\":1[45]\\d\\d,\"retry_after\":2}");
        assertThat(retry.statusCode()).isEqualTo(200);
    }

    @Test
    void asyncRequest_isCountedOnce() {
        List<HttpResponse<String>> responses = new ArrayList<>();

        for (int i = 0; i < 4; i++) {
            responses.add(http.get("/once/async", "X-User", "async"));
        }

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 429);
        assertThat(responses.get(0).body()).isEqualTo("async done");
        assertThat(responses.get(2).headers().firstValue("RateLimit")).hasValue("\"once\";r=0;t=20");
    }

    @Test
    void forwardAndInclude_areCountedOnce() {
        List<Integer> forwards = http.statuses(4, "/once/forward", "X-User", "forward");
        List<HttpResponse<String>> includes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            includes.add(http.get("/once/include", "X-User", "include"));
        }

        assertThat(forwards).containsExactly(200, 200, 200, 429);
        assertThat(includes).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 429);
        assertThat(includes.get(0).body()).isEqualTo("included: hello INCLUDE /once/include");
    }

    @Test
    void aKeyHeaderSentTwice_isLimitedByItsFirstValue() {
        HttpResponse<String> answer = http.get("/hdr/x", "X-User", "twice-first", "X-User", "twice-second");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(remaining("by-header", "header:x-user", "twice-first")).isEqualTo(2);
        assertThat(remaining("by-header", "header:x-user", "twice-second")).isEqualTo(3);
    }

    @Test
    void errorDispatch_isCountedOnce() {
        List<Integer> statuses = http.statuses(4, "/once/fail", "X-User", "error");

        assertThat(statuses).containsExactly(503, 503, 503, 429);
    }

    @Test
    void twoFiltersWithOnePolicyName_eachCountTheRequest_underTheirOwnKeys() {
        // The counted mark was keyed by policy name, so the second filter of the same name took the first one's
        // mark for its own and let every request through unlimited.
        HttpResponse<String> first = http.get("/twins/x", "X-A", "a1", "X-B", "b");
        HttpResponse<String> second = http.get("/twins/x", "X-A", "a2", "X-B", "b");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(remaining("twin-a", "header:x-a", "a1")).isEqualTo(2);
        assertThat(remaining("twin-b", "header:x-b", "b")).isZero();
    }

    private static long remaining(String filter, String... parts) {
        RateLimitFilter f = app.filter(filter);
        return f.limiter().peek(f.policy(), BucketKey.of(parts)).remaining();
    }

    @Test
    void filterMappedOnlyToForwardOrError_limitsThoseDispatches() {
        // Only REQUEST dispatches used to take tokens, so a filter mapped to FORWARD or ERROR alone never limited.
        List<HttpResponse<String>> forwards = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            forwards.add(http.get("/dispatch/forward", "X-User", "fwd"));
        }
        List<Integer> errors = http.statuses(3, "/dispatch/error", "X-User", "err");
        List<Integer> direct = http.statuses(3, "/dispatched/forward/x", "X-User", "direct");

        assertThat(forwards).extracting(HttpResponse::statusCode).containsExactly(200, 200, 429);
        assertThat(forwards.get(0).body()).isEqualTo("hello FORWARD /dispatched/forward/x");
        assertThat(forwards.get(2).headers().firstValue("Retry-After")).hasValue("30");
        assertThat(errors).containsExactly(418, 418, 429);
        assertThat(direct).containsOnly(200);
    }

    @Test
    void filterMappedOnlyToInclude_countsTheInclude_butCannotSetTheStatus() {
        // An included resource may not change the status or headers, so a denial there can only put the problem
        // text where the included content would have been; this pins that documented limit.
        List<HttpResponse<String>> includes = new ArrayList<>();

        for (int i = 0; i < 3; i++) {
            includes.add(http.get("/dispatch/include", "X-User", "inc"));
        }

        assertThat(includes).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200);
        assertThat(includes.get(0).body()).isEqualTo("included: hello INCLUDE /dispatch/include");
        assertThat(includes.get(2).body())
                .startsWith("included: {\"type\":\"about:blank\",\"title\":\"Too Many Requests\"");
        assertThat(remaining("on-include", "header:x-user", "inc")).isZero();
    }

    @Test
    void classKeyFromWebXml_resolvesTheCallerWithTheNamedResolver() {
        List<Integer> acme = List.of(
                http.get("/tenant/x", "X-Api-Key", "acme.k1").statusCode(),
                http.get("/tenant/x", "X-Api-Key", "acme.k2").statusCode(),
                http.get("/tenant/x", "X-Api-Key", "acme.k3").statusCode());
        HttpResponse<String> other = http.get("/tenant/x", "X-Api-Key", "globex.k1");
        HttpResponse<String> none = http.get("/tenant/x", "X-Api-Key", "no-tenant");

        assertThat(acme).containsExactly(200, 200, 429);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(remaining("by-tenant", "class:io.r8limiter.servlet.TenantKey", "acme"))
                .isZero();
    }

    @Test
    void twoHundredParallelRequests_onOneKey_admitExactlyTheCapacity() {
        List<Integer> statuses = http.parallel(200, "/crowd/x", "X-User", "crowd");

        assertThat(Collections.frequency(statuses, 200)).isEqualTo(50);
        assertThat(Collections.frequency(statuses, 429)).isEqualTo(150);
    }

    @Test
    void severalLimits_servletNameMapping_queryKey_andHeadersOffWhenAllowed() {
        HttpResponse<String> first = http.get("/multi/x?user=u%201");
        http.get("/multi/x?user=u%201");
        HttpResponse<String> third = http.get("/multi/x?user=u%201");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("echo user=u%201");
        assertThat(first.headers().firstValue("RateLimit")).isEmpty();
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("RateLimit-Policy"))
                .hasValue("\"api-0\";q=2;w=1, \"api-1\";q=100;w=3600");
        assertThat(third.headers().firstValue("RateLimit")).hasValue("\"api-0\";r=0;t=1, \"api-1\";r=98;t=36");
    }

    @Test
    void missingQueryKey_isRejectedWith400Problem() {
        HttpResponse<String> response = http.get("/multi/x");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"detail\":\"the request has no query parameter user\"");
    }

    @Test
    void unprotectedPaths_carryNoRateLimitFields() {
        HttpResponse<String> response = http.get("/public");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("RateLimit")).isEmpty();
    }
}
