package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Requests anyone can send do not write WARN lines, so a hostile client cannot flood the log above INFO. */
@ExtendWith(OutputCaptureExtension.class)
class QuietLogTest extends ServiceTestBase {

    // Spring MVC warned once per request for a wrong method (PageNotFound) and for a resource path it refuses
    // (ResourceHandlerUtils): a client could write WARN lines as fast as it could send requests.
    @Test
    void wrongMethodsAndRefusedResourcePaths_logNoWarnings(CapturedOutput output) {
        for (int i = 0; i < 5; i++) {
            api.call("GET", "/allow?user_id=u1", null, null);
            api.call("PUT", "/allow?user_id=u1", null, null);
            api.call("GET", "/x/WEB-INF/web.xml", null, null);
            api.call("GET", "/file:/etc/passwd", null, null);
            api.call("GET", "/static/META-INF/x", null, null);
        }

        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> warnings = output.getOut()
                .lines()
                .filter(l -> l.startsWith("{"))
                .map(json::readTree)
                .filter(l -> l.path("process")
                        .path("thread")
                        .path("name")
                        .stringValue()
                        .startsWith("http-"))
                .filter(l -> !l.path("log").path("level").stringValue().matches("DEBUG|TRACE|INFO"))
                .toList();
        assertThat(warnings).isEmpty();
    }
}
