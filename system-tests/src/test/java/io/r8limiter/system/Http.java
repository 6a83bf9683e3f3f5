package io.r8limiter.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An HTTP/1.1 client with short timeouts, returning status, headers, body and the time the call took. */
final class Http {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client;

    private Http(HttpClient client) {
        this.client = client;
    }

    static Http client() {
        return new Http(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build());
    }

    Reply post(URI uri) {
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()));
    }

    Reply get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    Reply get(URI uri, String authorization) {
        return send(HttpRequest.newBuilder(uri)
                .header("Authorization", authorization)
                .GET());
    }

    Reply send(String method, URI uri, @Nullable String authorization, @Nullable String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .method(
                        method,
                        jsonBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    /** A GET that answers null instead of throwing when the server is not there (yet). */
    @Nullable
    Reply tryGet(URI uri) {
        try {
            return get(uri);
        } catch (RuntimeException e) {
            return null;
        }
    }

    Reply send(HttpRequest.Builder request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> r =
                    client.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().map(), r.body(), System.nanoTime() - start);
        } catch (IOException e) {
            throw new IllegalStateException(request.build().uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One answer. */
    record Reply(int status, Map<String, List<String>> headers, String body, long nanos) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        long millis() {
            return nanos / 1_000_000;
        }

        @Nullable
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
