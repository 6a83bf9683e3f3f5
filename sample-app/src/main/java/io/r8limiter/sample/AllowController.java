package io.r8limiter.sample;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.RateLimiter;
import io.r8limiter.web.HttpAnswer;
import io.r8limiter.web.HttpHeader;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /allow}: may this user spend {@code cost} tokens on this resource now?
 *
 * <p>A denial is still a 200: the caller asked for a decision and got one. The RateLimit header fields are set as the
 * filters set them ({@code RateLimit-Policy}, {@code RateLimit}, and {@code Retry-After} on a denial), so a gateway
 * calling this service can pass them on to its own client; {@code r8limiter.headers.enabled=false} leaves out the
 * RateLimit fields of allowed decisions.
 */
@RestController
class AllowController {

    private final RateLimiter limiter;
    private final Resources resources;
    private final boolean headersOnAllowed;

    AllowController(
            RateLimiter limiter,
            Resources resources,
            @Value("${r8limiter.headers.enabled:true}") boolean headersOnAllowed) {
        this.limiter = limiter;
        this.resources = resources;
        this.headersOnAllowed = headersOnAllowed;
    }

    @PostMapping(path = "/allow", produces = "application/json")
    ResponseEntity<AllowResponse> allow(HttpServletRequest request) {
        String name = Resources.resourceOrDefault(SingleParameters.get(request, "resource"));
        BucketKey key = Resources.key(SingleParameters.get(request, "user_id"), name);
        long tokens = Costs.parse(SingleParameters.get(request, "cost"));

        Decided decided =
                resources.withPolicy(name, policy -> new Decided(policy, limiter.tryConsume(policy, key, tokens)));

        return ResponseEntity.ok()
                .headers(headers(HttpAnswer.of(decided.policy(), decided.decision(), headersOnAllowed)))
                .body(AllowResponse.of(decided.decision()));
    }

    private record Decided(String policy, Decision decision) {}

    private static HttpHeaders headers(HttpAnswer answer) {
        HttpHeaders headers = new HttpHeaders();
        for (HttpHeader h : answer.headers()) {
            headers.add(h.name(), h.value());
        }
        return headers;
    }
}
