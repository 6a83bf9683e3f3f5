package io.r8limiter.sample;

import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import org.springframework.http.HttpHeaders;

/** The RateLimit header fields (IETF draft-10) for a decision: none for a degraded one, which has no real figures. */
final class RateLimitHeaders {

    private RateLimitHeaders() {}

    static HttpHeaders of(Policy policy, Decision decision) {
        HttpHeaders headers = new HttpHeaders();
        if (decision.degraded()) {
            return headers;
        }
        Limit tightest = tightest(policy);
        String name = quoted(policy.name());
        headers.set(
                "RateLimit-Policy",
                name + ";q=" + tightest.capacity() + ";w=" + ceilSeconds(tightest.refillPeriodMillis()));
        headers.set("RateLimit", name + ";r=" + decision.remaining() + ";t=" + ceilSeconds(decision.resetMillis()));
        return headers;
    }

    /** A structured-field string: printable ASCII only, so a policy name can never break a header line. */
    private static String quoted(String name) {
        StringBuilder sb = new StringBuilder("\"");
        name.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else {
                sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
            }
        });
        return sb.append('"').toString();
    }

    private static Limit tightest(Policy policy) {
        Limit tightest = policy.limits().get(0);
        for (Limit l : policy.limits()) {
            if (l.capacity() < tightest.capacity()) {
                tightest = l;
            }
        }
        return tightest;
    }

    private static long ceilSeconds(long millis) {
        return (millis + 999) / 1000;
    }
}
