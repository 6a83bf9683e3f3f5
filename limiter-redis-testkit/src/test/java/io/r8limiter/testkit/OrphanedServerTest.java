package io.r8limiter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OrphanedServerTest {

    /** Started in a child JVM: starts a server, prints its port, then waits to be killed. */
    public static void main(String[] args) throws InterruptedException {
        RedisServerProcess server = RedisServerProcess.start();
        System.out.println("port " + server.port());
        System.out.flush();
        Thread.sleep(60_000);
    }

    @Test
    void serverDies_whenItsJvmIsKilledWithoutRunningShutdownHooks() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), OrphanedServerTest.class.getName())
                .redirectErrorStream(true)
                .start();
        int port;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            port = Integer.parseInt(readPortLine(out));
            assertThat(accepts(port)).isTrue();

            child.destroyForcibly().waitFor();
        }

        // SIGKILL skips the shutdown hook; the sh watchdog notices the JVM is gone within about a second
        await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(port));
    }

    private static String readPortLine(BufferedReader out) throws Exception {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("port ")) {
                return line.substring("port ".length());
            }
        }
        throw new IllegalStateException("child JVM ended without printing a port");
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(RedisServerProcess.HOST, port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
