package io.r8limiter.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Thousands of seeded random and malicious requests against one running decision service: no 5xx, no stack trace or
 * class name in any answer, no injected response header, the admin guard holds however the path is spelled, every
 * log line stays one JSON object with nothing forged above DEBUG, and a control user's bucket and the policies do
 * not move.
 */
class HostileInputSystemTest {

    static final long SEED = 0x5eed_2026L;
    static final int REQUESTS = 3_000;
    /** The control user: its {@code ctl} bucket holds 10 tokens refilled 1 an hour, and the test spends 4. */
    static final String CONTROL = "control";

    private static final String BEARER = "Bearer " + AppProcess.ADMIN_TOKEN;

    private static AppProcess app;
    private static final Http http = Http.client();

    @BeforeAll
    static void startApp() {
        app = SharedApp.memory();
    }

    @Test
    void seededHostileRequests_neverBreakTheServiceTheGuardOrAnotherUsersBucket() {
        drain(CONTROL, 4);
        String policiesBefore = http.get(app.uri("/admin/policy"), BEARER).body();
        long threadsBefore = Prometheus.scrape(http, app).threads();
        HostileRequests generator = new HostileRequests(SEED, AppProcess.ADMIN_TOKEN, CONTROL, "ctl");
        List<String> failures = new ArrayList<>();
        int[] byClass = new int[6];

        for (int i = 0; i < REQUESTS; i++) {
            HostileRequests.Request request = generator.next();
            RawHttp.Answer answer = RawHttp.exchange(app.port(), request.bytes());
            byClass[Math.max(0, answer.status() / 100)]++;
            String failure = judge(request, answer);
            if (failure != null && failures.size() < 20) {
                failures.add(failure + "\n  request: " + request + "\n  answer: " + abbreviate(answer.toString()));
            }
        }

        assertThat(failures)
                .as("hostile requests (2xx=%d 4xx=%d)", byClass[2], byClass[4])
                .isEmpty();
        assertThat(remaining(CONTROL)).isEqualTo(10 - 4);
        assertThat(http.get(app.uri("/admin/policy"), BEARER).body()).isEqualTo(policiesBefore);
        assertThat(http.get(app.uri("/admin/stats"), BEARER).json().isObject()).isTrue();
        assertThat(LogLines.problems(app.logLines(), HostileRequests.MARK)).isEmpty();
        assertThat(LogLines.atLevel(app.logLines(), "ERROR")).isEmpty();
        assertThat(Prometheus.scrape(http, app).threads()).isLessThan(threadsBefore + 30);
    }

    @Test
    void jsonBombs_withTheAdminToken_areRefusedAsClientErrors() {
        String policiesBefore = http.get(app.uri("/admin/policy"), BEARER).body();
        String overridesBefore = actuatorPolicies();

        for (String bomb : JsonBombs.ALL) {
            // The write operation of the ratelimit endpoint (setting an override of the ctl policy) reads the body.
            for (String path : List.of("/admin/policy", "/actuator/ratelimit/ctl")) {
                String method = path.startsWith("/admin") ? "PUT" : "POST";
                Http.Reply reply = http.send(method, app.uri(path), BEARER, bomb);
                assertThat(reply.status())
                        .as("%s %s with %s: %s", method, path, abbreviate(bomb), abbreviate(reply.body()))
                        .isBetween(400, 499)
                        .isNotIn(401, 403, 404, 405);
                assertThat(Leaks.find(reply.body(), bomb))
                        .as(abbreviate(reply.body()))
                        .isNull();
                assertThat(reply.body().length())
                        .as("echo of %s", abbreviate(bomb))
                        .isLessThan(2_000);
            }
        }

        assertThat(http.get(app.uri("/admin/policy"), BEARER).body()).isEqualTo(policiesBefore);
        assertThat(actuatorPolicies()).isEqualTo(overridesBefore);
        assertThat(LogLines.atLevel(app.logLines(), "ERROR")).isEmpty();
    }

    @Test
    void policyNamedWithLineBreaks_neverSplitsAResponseHeader() {
        String name = "hdr\r\nSet-Cookie: x=" + HostileRequests.MARK;
        String body = "{\"resource\":" + Http.JSON.writeValueAsString(name)
                + ",\"capacity\":5,\"refill_tokens\":5,\"refill_period_ms\":60000}";

        Http.Reply put = http.send("PUT", app.uri("/admin/policy"), BEARER, body);
        RawHttp.Answer allow = RawHttp.exchange(
                app.port(), RawHttp.request("POST", Query.allow("header-user", name), "", new byte[0]));

        assertThat(put.status()).isIn(200, 400);
        assertThat(allow.status()).isEqualTo(200);
        assertThat(allow.head().toLowerCase().split("\r\n")).noneMatch(line -> line.startsWith("set-cookie"));
        http.send("DELETE", app.uri("/admin/policy?resource=" + Query.enc(name)), BEARER, null);
    }

    @Test
    void sensitiveActuatorEndpoints_areNotExposed_andHealthShowsItsStatusOnly() {
        for (String endpoint : List.of(
                "env",
                "beans",
                "configprops",
                "heapdump",
                "threaddump",
                "loggers",
                "mappings",
                "shutdown",
                "scheduledtasks")) {
            assertThat(http.get(app.uri("/actuator/" + endpoint)).status())
                    .as(endpoint)
                    .isEqualTo(404);
            assertThat(http.send("POST", app.uri("/actuator/" + endpoint), null, "{}")
                            .status())
                    .as("POST " + endpoint)
                    .isIn(404, 405);
        }

        JsonNode health = http.get(app.uri("/actuator/health")).json();

        assertThat(health.propertyNames()).contains("status").isSubsetOf("status", "groups");
    }

    private static String judge(HostileRequests.Request request, RawHttp.Answer answer) {
        if (answer.status() < 100) {
            return "no HTTP answer";
        }
        if (answer.status() >= 500) {
            return "server error";
        }
        String leak =
                request.target().startsWith("/actuator/prometheus") ? null : Leaks.find(answer.body(), request.text());
        if (leak != null) {
            return "leaked '" + leak + "'";
        }
        if (answer.head().toLowerCase().contains("\r\nx-evil") || answer.head().contains("\r\nSet-Cookie")) {
            return "injected response header";
        }
        if (request.guardedPath() && !request.validToken() && answer.status() / 100 == 2) {
            return "guarded path answered without the admin token";
        }
        return null;
    }

    /** The policies as the ratelimit endpoint lists them, overrides included. */
    private static String actuatorPolicies() {
        Http.Reply summary = http.get(app.uri("/actuator/ratelimit"), BEARER);
        assertThat(summary.status()).as(summary.body()).isEqualTo(200);
        return summary.json().path("policies").toString();
    }

    private static void drain(String user, int requests) {
        for (int i = 0; i < requests; i++) {
            assertThat(http.post(app.uri(Query.allow(user, "ctl"))).status()).isEqualTo(200);
        }
    }

    private static long remaining(String user) {
        return http.get(app.uri(Query.tokens(user, "ctl")), BEARER)
                .json()
                .path("remaining")
                .asLong();
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + " chars)" : s;
    }
}
