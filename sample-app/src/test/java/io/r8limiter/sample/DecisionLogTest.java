package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The decision log with DEBUG on: denials carry a keyed digest, never the user id, and the INFO summary comes at most
 * once per (here 200 ms) interval. Lines are told apart from other test applications' by the service name.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.application.name=" + DecisionLogTest.SERVICE,
            "r8limiter.admin.token=" + Api.TOKEN,
            "logging.level.io.r8limiter.sample.DecisionLog=debug",
            "r8limiter.sample.summary-interval=200ms",
            "r8limiter.sample.log-digest-key=" + DecisionLogTest.DIGEST_KEY,
            "r8limiter.policies.default.limits[0].capacity=1",
            "r8limiter.policies.default.limits[0].refill-tokens=1",
            "r8limiter.policies.default.limits[0].refill-period=1h"
        })
class DecisionLogTest {

    static final String SERVICE = "decision-log-test";
    static final String DIGEST_KEY = "test-digest-key";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    // The digest was an unsalted SHA-256 prefix, so a short id could be found again by hashing guesses;
    // it is now an HMAC under a key the reader of the log does not have.
    @Test
    void denialLine_namesAKeyedDigestAndNeverTheUserId(CapturedOutput output) throws Exception {
        String user = "alice-" + UUID.randomUUID();
        Api api = new Api(port);

        api.allow(user, "r1");
        api.allow(user, "r1");

        String encoded = BucketKey.builder()
                .part("user_id", user)
                .part("resource", "r1")
                .build()
                .encoded();
        String expected = hex(hmac(DIGEST_KEY, encoded));
        List<JsonNode> denials = lines(output).stream()
                .filter(l -> l.path("message").stringValue().startsWith("denied policy=default key="))
                .toList();
        assertThat(denials).isNotEmpty();
        assertThat(denials)
                .extracting(l -> l.path("log").path("level").stringValue())
                .containsOnly("DEBUG");
        assertThat(denials)
                .extracting(l -> l.path("message").stringValue())
                .anyMatch(m -> m.startsWith("denied policy=default key=" + expected + " retry_after_ms="));
        assertThat(expected)
                .isNotEqualTo(hex(MessageDigest.getInstance("SHA-256").digest(utf8(encoded))));
        assertThat(output.getOut()).doesNotContain(user);
    }

    @Test
    void summary_comesAtMostOncePerInterval(CapturedOutput output) throws InterruptedException {
        Api api = new Api(port);
        String user = "bob-" + UUID.randomUUID();

        long end = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < end) {
            api.allow(user, "r1");
            Thread.sleep(20);
        }
        Thread.sleep(300);

        List<JsonNode> summaries = lines(output).stream()
                .filter(l -> l.path("message").stringValue().startsWith("decisions since the last summary:"))
                .toList();
        assertThat(summaries).hasSizeGreaterThanOrEqualTo(2);
        assertThat(summaries)
                .extracting(l -> l.path("log").path("level").stringValue())
                .containsOnly("INFO");
        for (int i = 1; i < summaries.size(); i++) {
            Instant previous =
                    Instant.parse(summaries.get(i - 1).path("@timestamp").stringValue());
            Instant next = Instant.parse(summaries.get(i).path("@timestamp").stringValue());
            assertThat(next.toEpochMilli() - previous.toEpochMilli()).isGreaterThanOrEqualTo(190);
        }
        assertThat(output.getOut()).doesNotContain(user);
    }

    /** The JSON lines this application logged. */
    private static List<JsonNode> lines(CapturedOutput output) {
        return output.getOut()
                .lines()
                .filter(l -> l.startsWith("{"))
                .map(JSON::readTree)
                .filter(l -> SERVICE.equals(l.path("service").path("name").stringValue()))
                .toList();
    }

    private static byte[] hmac(String key, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(utf8(key), "HmacSHA256"));
        return mac.doFinal(utf8(value));
    }

    private static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash, 0, 6);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
