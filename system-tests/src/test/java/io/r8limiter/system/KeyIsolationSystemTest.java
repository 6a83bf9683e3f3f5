package io.r8limiter.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * C10 through the running service: every hostile id is its own bucket (3 allowed, then denied), whether it is the
 * user or the resource; blank and oversized ids are refused naming the field; patterns are literal in the admin API.
 */
class KeyIsolationSystemTest {

    static final String BEARER = "Bearer " + AppProcess.ADMIN_TOKEN;

    static final List<String> ACCEPTED = List.of(
            "u1",
            "{u1}",
            "x{u1}y",
            "*",
            "?",
            "[a]",
            "u1:iso",
            "u1|iso",
            "u1\u0000",
            "user_id=u1",
            "u1&resource=other",
            "\u0000\r\nX",
            "u\n{\"level\":\"ERROR\",\"message\":\"" + HostileRequests.MARK + "\"}",
            "😀é",
            "😀e\u0301",
            "a".repeat(256),
            "😀".repeat(64));

    private static AppProcess app;
    private static final Http http = Http.client();

    @BeforeAll
    static void startApp() {
        app = SharedApp.memory();
    }

    @Test
    void everyHostileUserId_isItsOwnBucket() {
        for (String id : ACCEPTED) {
            assertOwnBucket(Query.allow(id, "iso"), id);
        }
    }

    @Test
    void everyHostileResource_isItsOwnBucket() {
        for (String resource : ACCEPTED) {
            assertOwnBucket(Query.allow("iso-user", resource), resource);
        }
    }

    @Test
    void blankAndOversizedIds_areRefusedNamingTheFieldAndTheByteLength() {
        for (String field : List.of("user_id", "resource")) {
            for (String value : List.of("", "   ")) {
                assertProblem(field, value, field);
            }
            assertProblem(field, "a".repeat(257), "257");
            assertProblem(field, "😀".repeat(65), "260");
            assertProblem(field, "x".repeat(10_000), "10000");
        }
    }

    @Test
    void patternIdsAreLiteral_inTheAdminReset() {
        for (int i = 0; i < 4; i++) {
            http.post(app.uri(Query.allow("*", "lit")));
            http.post(app.uri(Query.allow("u1", "lit")));
        }

        Http.Reply reset = http.send("DELETE", app.uri(Query.tokens("*", "lit")), BEARER, null);

        assertThat(reset.status()).isEqualTo(204);
        assertThat(http.post(app.uri(Query.allow("*", "lit")))
                        .json()
                        .path("remaining")
                        .asLong())
                .isEqualTo(2);
        assertThat(http.post(app.uri(Query.allow("u1", "lit")))
                        .json()
                        .path("allowed")
                        .asBoolean())
                .isFalse();
        assertThat(LogLines.problems(app.logLines(), HostileRequests.MARK)).isEmpty();
    }

    @Test
    void aControlCharacterId_comesBackFromTheAdminStatsEscapedAndIntact() {
        String id = "\u0000\r\nX-stats";
        // Denied often enough to stay listed however many other offenders the shared app has seen this window.
        for (int i = 0; i < 63; i++) {
            http.post(app.uri(Query.allow(id, "iso-stats")));
        }

        Http.Reply stats = http.get(app.uri("/admin/stats?limit=1000"), BEARER);

        assertThat(stats.body()).doesNotContain("\u0000", "\r", "\n");
        assertThat(stats.body()).contains("\"user_id\":\"\\u0000\\r\\nX-stats\"");
        List<JsonNode> mine = new ArrayList<>();
        stats.json().path("top_offenders").forEach(o -> {
            if (o.path("resource").asString().equals("iso-stats")) {
                mine.add(o);
            }
        });
        assertThat(mine).singleElement().satisfies(o -> {
            assertThat(o.path("user_id").asString()).isEqualTo(id);
            assertThat(o.path("denied").asLong()).isGreaterThanOrEqualTo(60);
        });
    }

    private static void assertOwnBucket(String target, String id) {
        for (long expected = 2; expected >= 0; expected--) {
            Http.Reply reply = http.post(app.uri(target));
            assertThat(reply.status()).as("%s -> %s", id, reply).isEqualTo(200);
            assertThat(reply.json().path("allowed").asBoolean()).as(id).isTrue();
            assertThat(reply.json().path("remaining").asLong()).as(id).isEqualTo(expected);
        }
        Http.Reply fourth = http.post(app.uri(target));
        assertThat(fourth.json().path("allowed").asBoolean()).as(id).isFalse();
    }

    private static void assertProblem(String field, String value, String named) {
        String target = field.equals("user_id") ? Query.allow(value, "iso") : Query.allow("iso-user", value);
        Http.Reply reply = http.post(app.uri(target));
        assertThat(reply.status()).as("%s=%s", field, abbreviate(value)).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().path("detail").asString()).contains(field).contains(named);
        assertThat(reply.body().length()).isLessThan(1_000);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "...(" + s.length() + ")" : s;
    }
}
