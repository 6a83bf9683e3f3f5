package io.r8limiter.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** C19 through the running service: the admin API and the ratelimit endpoint refuse anyone without the token. */
class AdminAuthSystemTest {

    static final String BEARER = "Bearer " + AppProcess.ADMIN_TOKEN;
    static final String WIDEN =
            "{\"resource\":null,\"capacity\":1000000,\"refill_tokens\":1000000," + "\"refill_period_ms\":1000}";
    static final String WIDEN_OVERRIDE = "{\"limits\":\"1000000/1s\"}";

    private static AppProcess app;
    private static final Http http = Http.client();

    @BeforeAll
    static void startApp() {
        app = SharedApp.memory();
    }

    @Test
    void anonymousAndWrongCredentials_get401_andChangeNothing() {
        List<@Nullable String> credentials = Arrays.asList(
                null,
                "Bearer WRONG",
                "Bearer " + AppProcess.ADMIN_TOKEN.toUpperCase(),
                "Bearer " + AppProcess.ADMIN_TOKEN + "x",
                "Basic YWRtaW46" + "c3lzdGVtLXRlc3QtYWRtaW4tdG9rZW4=",
                "Bearer",
                AppProcess.ADMIN_TOKEN);
        List<String> failures = new ArrayList<>();

        for (String authorization : credentials) {
            for (Call call : calls()) {
                Http.Reply reply = http.send(call.method(), app.uri(call.path()), authorization, call.body());
                boolean ok = reply.status() == 401
                        && "Bearer".equals(reply.header("WWW-Authenticate"))
                        && String.valueOf(reply.header("Content-Type")).startsWith("application/problem+json");
                if (!ok) {
                    failures.add(authorization + " " + call + " -> " + reply);
                }
            }
        }

        assertThat(failures).isEmpty();
        long allowed = 0;
        for (int i = 0; i < 20; i++) {
            allowed += http.post(app.uri(Query.allow("c19-fresh", "c19")))
                            .json()
                            .path("allowed")
                            .asBoolean()
                    ? 1
                    : 0;
        }
        assertThat(allowed).isEqualTo(3);
    }

    @Test
    void theAdminToken_opensEveryCall_andAdminCallsAreNotChargedToAnyPolicy() {
        String put = "{\"resource\":\"c19-own\",\"capacity\":7,\"refill_tokens\":7,\"refill_period_ms\":60000}";

        assertThat(http.send("PUT", app.uri("/admin/policy"), BEARER, put).status())
                .isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            assertThat(http.get(app.uri("/admin/stats"), BEARER).status()).isEqualTo(200);
            assertThat(http.get(app.uri("/admin/policy"), BEARER).status()).isEqualTo(200);
            assertThat(http.get(app.uri(Query.tokens("u1", "r1")), BEARER).status())
                    .isEqualTo(200);
            assertThat(http.send("DELETE", app.uri(Query.tokens("u1", "r1")), BEARER, null)
                            .status())
                    .isEqualTo(204);
            assertThat(http.get(app.uri("/actuator/ratelimit"), BEARER).status())
                    .isEqualTo(200);
        }
        assertThat(http.send("DELETE", app.uri("/admin/policy?resource=c19-own"), BEARER, null)
                        .status())
                .isEqualTo(204);
    }

    @Test
    void theAdminToken_opensTheRatelimitEndpoint() {
        Http.Reply summary = http.get(app.uri("/actuator/ratelimit"), BEARER);
        Http.Reply bucket = http.get(app.uri("/actuator/ratelimit/ctl/c19-actuator/ctl"), BEARER);
        Http.Reply override =
                http.send("POST", app.uri("/actuator/ratelimit/c19-act"), BEARER, "{\"limits\":\"5/1m\"}");
        Http.Reply removed = http.send("DELETE", app.uri("/actuator/ratelimit/c19-act"), BEARER, null);
        Http.Reply removedAgain = http.send("DELETE", app.uri("/actuator/ratelimit/c19-act"), BEARER, null);
        Http.Reply reset = http.send("DELETE", app.uri("/actuator/ratelimit/ctl/c19-actuator/ctl"), BEARER, null);

        assertThat(summary.status()).as(summary.body()).isEqualTo(200);
        List<String> policies = new ArrayList<>();
        summary.json()
                .path("policies")
                .forEach(policy -> policies.add(policy.path("name").asString()));
        assertThat(policies).contains("default", "ctl");
        assertThat(bucket.status()).as(bucket.body()).isEqualTo(200);
        assertThat(bucket.json().path("remaining").asLong()).isEqualTo(10);
        assertThat(override.status()).as(override.body()).isEqualTo(200);
        assertThat(override.json().path("source").asString()).isEqualTo("override");
        assertThat(removed.status()).isEqualTo(204);
        assertThat(removedAgain.status()).isEqualTo(404);
        assertThat(reset.status()).isEqualTo(204);
    }

    @Test
    void withNoTokenConfigured_theAdminApiStaysClosed_andTheGeneratedTokenIsLoggedOnce() {
        try (AppProcess tokenless = AppProcess.startWithoutAdminToken("no-token")) {
            List<String> announced = tokenless.logLines().stream()
                    .filter(line -> line.contains("no r8limiter.admin.token set"))
                    .toList();

            assertThat(http.get(tokenless.uri("/admin/stats")).status()).isEqualTo(401);
            assertThat(http.get(tokenless.uri("/admin/stats"), BEARER).status()).isEqualTo(401);
            assertThat(announced).hasSize(1);
            Matcher token = Pattern.compile("Bearer ([A-Za-z0-9_-]{43})").matcher(announced.get(0));
            assertThat(token.find()).as(announced.get(0)).isTrue();
            assertThat(http.get(tokenless.uri("/admin/stats"), "Bearer " + token.group(1))
                            .status())
                    .isEqualTo(200);
        }
    }

    private static List<Call> calls() {
        return List.of(
                new Call("GET", "/admin/stats", null),
                new Call("GET", "/admin/policy", null),
                new Call("PUT", "/admin/policy", WIDEN),
                new Call("DELETE", "/admin/policy?resource=default", null),
                new Call("GET", "/admin/tokens?user_id=u1&resource=r1", null),
                new Call("DELETE", "/admin/tokens?user_id=u1&resource=r1", null),
                new Call("GET", "/actuator/ratelimit", null),
                new Call("POST", "/actuator/ratelimit", WIDEN),
                new Call("DELETE", "/actuator/ratelimit", null),
                new Call("POST", "/actuator/ratelimit/default", WIDEN_OVERRIDE),
                new Call("DELETE", "/actuator/ratelimit/default", null),
                new Call("GET", "/actuator/ratelimit/default/u1/r1", null),
                new Call("DELETE", "/actuator/ratelimit/default/u1/r1", null),
                new Call("GET", "/actuator/ratelimit?offenders=1000", null),
                new Call("GET", "//admin/stats", null),
                new Call("GET", "/admin/./stats", null),
                new Call("GET", "/%61dmin/stats", null),
                new Call("GET", "/admin;x=y/stats", null));
    }

    /** One admin or actuator request. */
    record Call(String method, String path, @Nullable String body) {}
}
