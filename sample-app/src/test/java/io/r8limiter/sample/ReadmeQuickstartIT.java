package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the README's decision service quickstart as written: the run command from the repository root (on a free
 * port through {@code SERVER_PORT}, since 8080 may be taken), then every {@code curl} line with bash, the port
 * rewritten and {@code TOKEN} set to the token the service logged, as the README tells a reader to do. Where a
 * {@code # →} line follows a curl, the body must match it field by field: same fields in the same order, equal
 * values, except that a {@code *_ms} figure may be up to {@value #COUNTDOWN_SLACK_MS} ms lower (it counts down).
 */
class ReadmeQuickstartIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String RUN = "./mvnw -q -DskipTests package && java -jar sample-app/target/sample-app.jar";
    private static final String BUILD = "./mvnw -q -DskipTests package";
    private static final Pattern TOKEN = Pattern.compile("Authorization: Bearer ([A-Za-z0-9_-]{43})");
    private static final Pattern STATUS = Pattern.compile("^HTTP/[0-9.]+ ([0-9]{3})");
    private static final String ANSWER = "# → ";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** How far a countdown in an answer may have run between the calls the README shows and this run's. */
    static final long COUNTDOWN_SLACK_MS = 500;

    @Test
    void quickstart_runsAsWritten() throws Exception {
        List<String> blocks = bashBlocks(section());
        assertThat(blocks.get(0).strip()).isEqualTo(RUN);
        List<Step> steps = steps(blocks);
        assertThat(steps).hasSizeGreaterThanOrEqualTo(10);
        assertThat(steps).filteredOn(st -> st.answer() != null).hasSizeGreaterThanOrEqualTo(5);
        // The enclosing build has just run the BUILD half (running it again here would rebuild the jar under us).
        String java = RUN.substring(BUILD.length() + " && ".length());
        int port = ServiceProcess.freePort();

        try (ServiceProcess service = ServiceProcess.start(
                "readme", ROOT, List.of("bash", "-c", "exec " + java), Map.of("SERVER_PORT", "" + port), port)) {
            Matcher m = TOKEN.matcher(service.output());
            assertThat(m.find()).as("the generated admin token is logged").isTrue();
            String token = m.group(1);

            for (Step step : steps) {
                Result r = bash(step.curl().replace("localhost:8080", "localhost:" + port), token);

                assertThat(r.exit()).as("%s\n%s", step.curl(), r.out()).isZero();
                if (step.curl().startsWith("curl -si ")) {
                    Matcher status = STATUS.matcher(r.out());
                    assertThat(status.find()).as(step.curl()).isTrue();
                    assertThat(Integer.parseInt(status.group(1)))
                            .as("%s\n%s", step.curl(), r.out())
                            .isBetween(200, 299);
                }
                if (step.answer() != null) {
                    assertMatches(step.curl(), JSON.readTree(step.answer()), JSON.readTree(body(r.out())));
                }
            }
        }
    }

    /** The curl lines of the bash blocks, each with the answer its {@code # →} line shows, if any. */
    static List<Step> steps(List<String> blocks) {
        List<Step> steps = new ArrayList<>();
        for (String line : blocks.stream().flatMap(String::lines).toList()) {
            if (line.startsWith("curl ")) {
                steps.add(new Step(line, null));
            } else if (line.startsWith(ANSWER)) {
                assertThat(steps).as("an answer line follows a curl: %s", line).isNotEmpty();
                Step last = steps.remove(steps.size() - 1);
                steps.add(new Step(last.curl(), line.substring(ANSWER.length())));
            }
        }
        return steps;
    }

    /** {@code actual} has the fields of {@code expected}, in order, with its values ({@code *_ms} counting down). */
    static void assertMatches(String path, JsonNode expected, JsonNode actual) {
        if (expected.isObject()) {
            assertThat(actual.propertyNames()).as(path).containsExactlyElementsOf(expected.propertyNames());
            for (String name : expected.propertyNames()) {
                assertMatches(path + " ." + name, expected.get(name), actual.get(name));
            }
        } else if (expected.isArray()) {
            assertThat(actual.size()).as(path).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertMatches(path + " [" + i + "]", expected.get(i), actual.get(i));
            }
        } else if (path.endsWith("_ms") && expected.isIntegralNumber()) {
            assertThat(actual.isIntegralNumber()).as(path).isTrue();
            assertThat(actual.longValue())
                    .as(path)
                    .isBetween(expected.longValue() - COUNTDOWN_SLACK_MS, expected.longValue());
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }

    /** The body of a {@code curl -si} output (after the header block), or the whole output of {@code curl -s}. */
    private static String body(String out) {
        int end = out.indexOf("\r\n\r\n");
        return out.startsWith("HTTP/") && end >= 0 ? out.substring(end + 4) : out;
    }

    private static String section() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("## Decision service quickstart");
        assertThat(start).as("README section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static List<String> bashBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static Result bash(String line, String token) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TOKEN", token);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private record Result(int exit, String out) {}

    /** One curl line of the README and the body it shows as the answer (null when it shows none). */
    record Step(String curl, @Nullable String answer) {}
}
