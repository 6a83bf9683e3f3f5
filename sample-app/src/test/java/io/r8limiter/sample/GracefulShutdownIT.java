package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The built jar stopped with SIGTERM while a request is in flight: the service stops taking new work, answers the
 * request it holds, logs that the graceful shutdown completed, and exits. The request is kept in flight by its client,
 * which sends the form body slowly, so the service needs no slow endpoint of its own.
 */
class GracefulShutdownIT {

    /** What the JVM exits with after SIGTERM once its shutdown hooks have run: 128 + 15. */
    private static final int SIGTERM_EXIT = 143;

    @Test
    void sigtermDuringASlowRequest_answersItThenExits() throws Exception {
        ServiceProcess service = ServiceProcess.jar("graceful", "--r8limiter.admin.token=" + Api.TOKEN);
        try (Socket socket = new Socket("localhost", service.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            byte[] body = "user_id=slow-client&resource=r1".getBytes(StandardCharsets.UTF_8);
            out.write(("POST /allow HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\n"
                            + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 10);
            out.flush();
            Thread.sleep(500); // the service is now reading the form body, inside the request

            service.terminate();
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> service.output().contains("Commencing graceful shutdown"));
            Thread.sleep(300);
            out.write(body, 10, body.length - 10);
            out.flush();
            String response = readAll(socket.getInputStream());

            assertThat(response).startsWith("HTTP/1.1 200");
            assertThat(response).contains("{\"allowed\":true,\"remaining\":99,");
        } finally {
            boolean exited = service.awaitExit(Duration.ofSeconds(20));
            if (!exited) {
                service.close();
            }
            assertThat(exited)
                    .as("exited within the shutdown phase timeout and some start-up slack")
                    .isTrue();
        }
        assertThat(service.exitValue()).isEqualTo(SIGTERM_EXIT);
        assertThat(service.output()).contains("Graceful shutdown complete");
    }

    private static String readAll(InputStream in) throws java.io.IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
