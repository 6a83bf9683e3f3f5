package io.r8limiter.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the decision service on a real port; admin calls carry the bearer token. */
final class Api {

    static final String TOKEN = "SECRET";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    Api(int port) {
        this(port, TOKEN);
    }

    Api(int port, String token) {
        this.base = "http://localhost:" + port;
        this.token = token;
    }

    /** {@code POST /allow} for a user on a resource, values URL-encoded. */
    Answer allow(String user, String resource) {
        return post("/allow?user_id=" + enc(user) + "&resource=" + enc(resource));
    }

    /** {@code POST /allow} with a raw, already encoded query. */
    Answer allowRaw(String query) {
        return post("/allow?" + query);
    }

    Answer post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** An admin call: {@code method} with the bearer token and an optional JSON body. */
    Answer admin(String method, String path, String json) {
        return send(request(path)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        json == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer admin(String method, String path) {
        return admin(method, path, null);
    }

    /** Any call, with the given {@code Authorization} header value (none when null). */
    Answer call(String method, String path, String authorization, String json) {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.method(
                method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sets the policy of {@code resource} (null: the default) to one limit. */
    Answer putPolicy(String resource, long capacity, long refillTokens, long periodMillis) {
        String name = resource == null ? "null" : "\"" + resource + "\"";
        return admin(
                "PUT",
                "/admin/policy",
                "{\"resource\":" + name + ",\"capacity\":" + capacity + ",\"refill_tokens\":" + refillTokens
                        + ",\"refill_period_ms\":" + periodMillis + "}");
    }

    /** Makes the bucket of a user on a resource full again. */
    void reset(String user, String resource) {
        admin("DELETE", "/admin/tokens?user_id=" + enc(user) + "&resource=" + enc(resource));
    }

    /** Removes every runtime override, leaving the configured policies. */
    void removeOverrides() {
        for (JsonNode p : admin("GET", "/admin/policy").json()) {
            if (p.path("source").stringValue().equals("override")) {
                String resource = p.path("name").stringValue();
                admin("DELETE", "/admin/policy?resource=" + enc(resource));
            }
        }
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A response: status, headers and body. */
    record Answer(int status, java.net.http.HttpHeaders headers, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }

        boolean allowed() {
            return json().path("allowed").booleanValue();
        }

        long remaining() {
            return json().path("remaining").longValue();
        }

        long retryAfter() {
            return json().path("retry_after_ms").longValue();
        }

        long limit() {
            return json().path("limit").longValue();
        }

        String detail() {
            return json().path("detail").stringValue();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
