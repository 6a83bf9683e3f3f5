package io.r8limiter.spring.testapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/** A small blocking HTTP client for the test app on its random port. */
public final class Http {

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    public Http(int port) {
        this.port = port;
    }

    /** A request to {@code path} on the app, for the caller to add headers to. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
    }

    /** Sends a GET. */
    public HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder builder = request(path);
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.GET().build());
    }

    /** Sends a GET as {@code user} with HTTP Basic. */
    public HttpResponse<String> getAs(String user, String path) {
        return get(path, "Authorization", basic(user));
    }

    /** Sends {@code count} GETs as {@code user}, four at a time, and returns their statuses. */
    public List<Integer> getAllAs(String user, String path, int count) {
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        Semaphore inFlight = new Semaphore(4);
        for (int i = 0; i < count; i++) {
            inFlight.acquireUninterruptibly();
            HttpRequest request =
                    request(path).header("Authorization", basic(user)).GET().build();
            futures.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(HttpResponse::statusCode)
                    .whenComplete((status, error) -> inFlight.release()));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    /** Sends {@code request}. */
    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Basic credentials of a test user (every password is {@code pw}). */
    public static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":pw").getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code r} (remaining) parameter of a {@code RateLimit} field with a single item. */
    public static long remaining(HttpResponse<String> response) {
        String field = response.headers().firstValue("RateLimit").orElseThrow();
        return Long.parseLong(field.replaceAll(".*;r=(\\d+).*", "$1"));
    }
}
