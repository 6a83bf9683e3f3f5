package io.r8limiter.jaxrs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A small HTTP client for tests against a server on this machine. */
final class Http {

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** GET {@code path} with header name/value pairs (a name may repeat). */
    HttpResponse<String> get(String path, String... headers) {
        try {
            return client.send(request(path, headers), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code count} GETs sent at once, their statuses in completion order. */
    List<Integer> parallel(int count, String path, String... headers) {
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(client.sendAsync(request(path, headers), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : futures) {
            statuses.add(f.join().statusCode());
        }
        return statuses;
    }

    /** The status of each of {@code count} sequential GETs. */
    List<Integer> statuses(int count, String path, String... headers) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            statuses.add(get(path, headers).statusCode());
        }
        return statuses;
    }

    private HttpRequest request(String path, String... headers) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.GET().build();
    }
}
