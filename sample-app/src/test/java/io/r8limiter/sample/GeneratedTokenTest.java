package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** C19 run 4: with no admin token configured, a random one guards the admin API and is logged once. */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "r8limiter.admin.token=")
class GeneratedTokenTest {

    private static final Pattern TOKEN = Pattern.compile("Authorization: Bearer ([A-Za-z0-9_-]{43})");

    @LocalServerPort
    int port;

    @Test
    void withoutConfiguredToken_adminNeedsTheGeneratedOne(CapturedOutput output) {
        Api anonymous = new Api(port, "");

        Matcher m = TOKEN.matcher(output.getOut());

        assertThat(anonymous.call("GET", "/admin/stats", null, null).status()).isEqualTo(401);
        assertThat(m.find()).isTrue();
        String token = m.group(1);
        assertThat(m.find()).as("the token is logged once").isFalse();
        assertThat(new Api(port, token).admin("GET", "/admin/stats").status()).isEqualTo(200);
        assertThat(anonymous.call("GET", "/admin/stats", "Bearer ", null).status())
                .isEqualTo(401);
    }

    @Test
    void startup_logsOneJsonLineNamingBackendPoliciesAndAdmin(CapturedOutput output) {
        List<String> ready = output.getOut()
                .lines()
                .filter(l -> l.contains("decision service ready"))
                .toList();

        assertThat(ready).hasSize(1);
        JsonNode line = JsonMapper.builder().build().readTree(ready.get(0));
        assertThat(line.path("log").path("level").stringValue()).isEqualTo("INFO");
        assertThat(line.path("message").stringValue())
                .contains("backend=memory")
                .contains("policies=[default 100 per 60000 ms]")
                .contains("admin API at /admin");
    }
}
