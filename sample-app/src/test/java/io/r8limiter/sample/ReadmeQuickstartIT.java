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
import org.junit.jupiter.api.Test;

/**
 * Runs the README's decision service quickstart as written: the run command from the repository root (on a free
 * port through {@code SERVER_PORT}, since 8080 may be taken), then every {@code curl} line with bash, the port
 * rewritten and {@code TOKEN} set to the token the service logged, as the README tells a reader to do.
 */
class ReadmeQuickstartIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String RUN = "./mvnw -q -DskipTests package && java -jar sample-app/target/sample-app.jar";
    private static final String BUILD = "./mvnw -q -DskipTests package";
    private static final Pattern TOKEN = Pattern.compile("Authorization: Bearer ([A-Za-z0-9_-]{43})");
    private static final Pattern STATUS = Pattern.compile("^HTTP/[0-9.]+ ([0-9]{3})");

    @Test
    void quickstart_runsAsWritten() throws Exception {
        List<String> blocks = bashBlocks(section());
        assertThat(blocks.get(0).strip()).isEqualTo(RUN);
        List<String> curls = blocks.stream()
                .flatMap(b -> b.lines())
                .filter(l -> l.startsWith("curl "))
                .toList();
        assertThat(curls).hasSizeGreaterThanOrEqualTo(10);
        // The enclosing build has just run the BUILD half (running it again here would rebuild the jar under us).
        String java = RUN.substring(BUILD.length() + " && ".length());
        int port = ServiceProcess.freePort();

        try (ServiceProcess service = ServiceProcess.start(
                "readme", ROOT, List.of("bash", "-c", "exec " + java), Map.of("SERVER_PORT", "" + port), port)) {
            Matcher m = TOKEN.matcher(service.output());
            assertThat(m.find()).as("the generated admin token is logged").isTrue();
            String token = m.group(1);

            for (String curl : curls) {
                String line = curl.replace("localhost:8080", "localhost:" + port);
                Result r = bash(line, token);

                assertThat(r.exit()).as("%s\n%s", curl, r.out()).isZero();
                if (curl.startsWith("curl -si ")) {
                    Matcher status = STATUS.matcher(r.out());
                    assertThat(status.find()).as(curl).isTrue();
                    assertThat(Integer.parseInt(status.group(1)))
                            .as("%s\n%s", curl, r.out())
                            .isBetween(200, 299);
                }
            }
        }
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
}
