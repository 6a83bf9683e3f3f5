package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.sample.Api.Answer;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** C10: caller-supplied ids are opaque values: bounded in bytes, literal, and harmless in logs and admin output. */
@ExtendWith(OutputCaptureExtension.class)
class HostileKeyTest extends ServiceTestBase {

    private static final String SMILE = "\uD83D\uDE00";

    @Test
    void blankIds_areRejectedNamingTheField() {
        for (String blank : List.of("", "   ")) {
            Answer asUser = api.allow(blank, "r1");
            Answer asResource = api.allow("u1", blank);

            assertThat(asUser.status()).isEqualTo(400);
            assertThat(asUser.detail()).isEqualTo("user_id must not be blank");
            assertThat(asResource.status()).isEqualTo(400);
            assertThat(asResource.detail()).isEqualTo("resource must not be blank");
        }
    }

    @Test
    void oversizedIds_areRejectedNamingTheByteLength() {
        String[][] cases = {{"a".repeat(257), "257"}, {SMILE.repeat(65), "260"}, {"z".repeat(10_000), "10000"}};
        for (String[] c : cases) {
            Answer asUser = api.allow(c[0], "r1");
            Answer asResource = api.allow("u1", c[0]);

            assertThat(asUser.status()).isEqualTo(400);
            assertThat(asUser.contentType()).isEqualTo("application/problem+json");
            assertThat(asUser.detail()).isEqualTo("user_id must be at most 256 UTF-8 bytes but was " + c[1] + " bytes");
            assertThat(asResource.detail())
                    .isEqualTo("resource must be at most 256 UTF-8 bytes but was " + c[1] + " bytes");
        }
    }

    @Test
    void oddButValidIds_eachGetTheirOwnBucket() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<String> values = List.of(
                "a".repeat(256),
                SMILE.repeat(64),
                "\u0000\r\nX",
                "u\n{\"level\":\"ERROR\"}",
                Normalizer.normalize(SMILE + "é", Normalizer.Form.NFC),
                Normalizer.normalize(SMILE + "é", Normalizer.Form.NFD),
                "u1",
                "{u1}",
                "x{u1}y",
                "*",
                "?",
                "[a]");
        String resource = "r1-" + suffix;
        for (String v : values) {
            api.reset(v, resource);
            api.reset("u1", v);
        }

        for (String v : values) {
            assertThreeThenDenied(v, resource);
        }
        for (String v : values) {
            assertThreeThenDenied("u1", v);
        }
    }

    // C10: '*' is a user called '*', not a pattern: resetting it leaves every other bucket as it was.
    @Test
    void patternLikeIds_areLiteralInReset() {
        String resource = "r1-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            api.allow("*", resource);
            api.allow("u1", resource);
        }

        Answer reset = api.admin("DELETE", "/admin/tokens?user_id=*&resource=" + Api.enc(resource));

        assertThat(reset.status()).isEqualTo(204);
        assertThat(api.allow("*", resource).remaining()).isEqualTo(2);
        assertThat(api.allow("u1", resource).allowed()).isFalse();
    }

    @Test
    void malformedPercentEncoding_isAClientError() {
        Answer a = api.allowRaw("user_id=%FF&resource=r1");
        Answer b = api.allowRaw("user_id=u1&resource=%C3");

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.contentType()).isEqualTo("application/problem+json");
        assertThat(a.detail()).contains("percent-encoding");
        assertThat(b.status()).isEqualTo(400);
    }

    // C10: a control-character id cannot forge a log line and comes back intact, escaped, from the stats.
    @Test
    void controlCharacters_cannotForgeLogLinesAndSurviveInStats(CapturedOutput output) {
        String forged = "u\n{\"level\":\"ERROR\"}" + UUID.randomUUID();
        String resource = "r1-" + UUID.randomUUID();
        for (int i = 0; i < 4; i++) {
            api.allow(forged, resource);
        }

        Answer stats = api.admin("GET", "/admin/stats?limit=1000");

        assertThat(stats.status()).isEqualTo(200);
        JsonNode mine = null;
        for (JsonNode o : stats.json().path("top_offenders")) {
            if (o.path("resource").stringValue().equals(resource)) {
                mine = o;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.path("user_id").stringValue()).isEqualTo(forged);
        assertThat(mine.path("denied").longValue()).isEqualTo(1);
        JsonMapper json = JsonMapper.builder().build();
        for (String line : output.getOut().split("\n")) {
            if (line.startsWith("{")) {
                assertThat(json.readTree(line).isObject()).as(line).isTrue();
            }
            assertThat(line).doesNotStartWith("{\"level\"").doesNotContain(forged);
        }
    }

    private void assertThreeThenDenied(String user, String resource) {
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(api.allow(user, resource));
        }
        assertThat(answers)
                .extracting(Answer::status)
                .as("%s / %s", user, resource)
                .containsOnly(200);
        assertThat(answers).extracting(Answer::allowed).containsExactly(true, true, true, false);
        assertThat(answers).extracting(Answer::remaining).containsExactly(2L, 1L, 0L, 0L);
    }
}
