package io.r8limiter.web;

import static java.util.Objects.requireNonNull;

import io.r8limiter.Decision;
import io.r8limiter.LimitStatus;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP answer for a rate-limit decision, as plain values that every adapter copies onto its own response.
 *
 * <p>Allowed: the request goes on to the resource ({@link #proceed()} is true, {@link #status()} is 200 and no body
 * is written here); the {@code RateLimit-Policy} and {@code RateLimit} fields are added unless turned off. Denied:
 * status 429, {@code Retry-After} in whole seconds rounded up (never below 1), the same RateLimit fields (always,
 * since they explain the denial) and an RFC 9457 {@code application/problem+json} body carrying the delay as
 * {@code retry_after_ms} and {@code retry_after}. A decision without per-limit figures ({@link Decision#limits()}
 * empty, as the {@code OPEN} and {@code CLOSED} failure modes answer while the backend is down) carries no RateLimit
 * fields, since there is nothing real to report; its denial still gets 429, Retry-After and a body. A degraded
 * decision of the {@code LOCAL} failure mode comes from in-memory buckets with real figures, and sends them.
 *
 * <p>The RateLimit fields follow draft-ietf-httpapi-ratelimit-headers-10, one list item per limit, named after the
 * policy, with {@code -0}, {@code -1}, ... appended when the policy has several limits:
 * {@code RateLimit-Policy: "api";q=100;w=60} ({@code q} the capacity, {@code w} the whole seconds an empty bucket
 * needs to fill, at least 1) and {@code RateLimit: "api";r=50;t=1} ({@code r} the whole tokens left, {@code t} the
 * seconds until the next whole token, 0 when full, or for a denial the seconds until the request fits). Values are
 * immutable and thread-safe.
 *
 * @since 0.1
 */
public final class HttpAnswer {

    /** The media type of every problem body. */
    public static final String PROBLEM_JSON = "application/problem+json";

    /** Status of a denial. */
    public static final int TOO_MANY_REQUESTS = 429;

    /** Header naming the seconds to wait. */
    public static final String RETRY_AFTER = "Retry-After";

    /** Header describing the quota policies. */
    public static final String RATELIMIT_POLICY = "RateLimit-Policy";

    /** Header describing the current state of each quota. */
    public static final String RATELIMIT = "RateLimit";

    private final boolean proceed;
    private final int status;
    private final List<HttpHeader> headers;
    private final @Nullable String body;

    private HttpAnswer(boolean proceed, int status, List<HttpHeader> headers, @Nullable String body) {
        this.proceed = proceed;
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body;
    }

    /**
     * The answer for {@code decision} of the policy named {@code policy}.
     *
     * @param headersOnAllowed whether allowed responses carry the RateLimit fields
     */
    public static HttpAnswer of(String policy, Decision decision, boolean headersOnAllowed) {
        requireNonNull(policy, "policy");
        requireNonNull(decision, "decision");
        List<LimitStatus> limits = decision.limits();
        boolean fields = !limits.isEmpty() && (decision.denied() || headersOnAllowed);
        if (decision.allowed()) {
            return new HttpAnswer(true, 200, fields ? fields(policy, limits, false) : List.of(), null);
        }
        HttpHeader retryAfter = new HttpHeader(RETRY_AFTER, Long.toString(retryAfterSeconds(decision)));
        List<HttpHeader> headers = new ArrayList<>(3);
        headers.add(retryAfter);
        if (fields) {
            headers.addAll(fields(policy, limits, true));
        }
        return new HttpAnswer(false, TOO_MANY_REQUESTS, headers, tooManyRequestsBody(policy, decision));
    }

    private static List<HttpHeader> fields(String policy, List<LimitStatus> limits, boolean denied) {
        RateLimitFields fields = RateLimitFields.of(policy, limits);
        return List.of(
                new HttpHeader(RATELIMIT_POLICY, fields.policy()),
                new HttpHeader(RATELIMIT, fields.current(limits, denied)));
    }

    /** A 400 answer with a problem body, for a request whose key is missing when the configuration rejects it. */
    public static HttpAnswer badRequest(String detail) {
        return problem(400, "Bad Request", detail);
    }

    /** An answer that stops the request with {@code status} and a problem body of {@code title} and {@code detail}. */
    public static HttpAnswer problem(int status, String title, String detail) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("problem status must be between 400 and 599 but was " + status);
        }
        String body = "{\"type\":\"about:blank\",\"title\":" + Json.quote(title) + ",\"status\":" + status
                + ",\"detail\":" + Json.quote(detail) + "}";
        return new HttpAnswer(false, status, List.of(), body);
    }

    /** Whole seconds to wait before retrying: {@code retryAfterMillis} rounded up, never below 1. */
    public static long retryAfterSeconds(Decision decision) {
        return Math.max(1, RateLimitFields.seconds(decision.retryAfterMillis()));
    }

    /** Whether the request goes on to the resource; false when this answer must be written instead. */
    public boolean proceed() {
        return proceed;
    }

    /** 200 when the request proceeds (the resource sets the real status), otherwise the status to write. */
    public int status() {
        return status;
    }

    /** The header fields to add to the response, whether it proceeds or not; never {@code Content-Type}. */
    public List<HttpHeader> headers() {
        return headers;
    }

    /** The value of the named header, ignoring case, or null. */
    public @Nullable String header(String name) {
        for (HttpHeader h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    /** The problem body (UTF-8 text of type {@link #PROBLEM_JSON}) when the request stops here; null otherwise. */
    public @Nullable String body() {
        return body;
    }

    @Override
    public String toString() {
        return "HttpAnswer[status=" + status + ", headers=" + headers + "]";
    }

    private static String tooManyRequestsBody(String policy, Decision decision) {
        long seconds = retryAfterSeconds(decision);
        String detail = decision.degraded()
                ? "the rate limiter is unavailable and refuses requests until it recovers; retry after " + seconds
                        + " s"
                : "rate limit of policy '" + policy + "' exceeded; retry after " + seconds + " s";
        long millis = Math.max(1, decision.retryAfterMillis());
        return "{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,\"detail\":"
                + Json.quote(detail) + ",\"retry_after_ms\":" + millis + ",\"retry_after\":" + seconds + "}";
    }
}
