package io.r8limiter.sample;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /allow}: may this user spend {@code cost} tokens on this resource now?
 *
 * <p>A denial is still a 200: the caller asked for a decision and got one. The RateLimit header fields are set as the
 * filters set them, so a gateway calling this service can pass them on to its own client.
 */
@RestController
class AllowController {

    private final RateLimiter limiter;
    private final Resources resources;

    AllowController(RateLimiter limiter, Resources resources) {
        this.limiter = limiter;
        this.resources = resources;
    }

    @PostMapping(path = "/allow", produces = "application/json")
    ResponseEntity<AllowResponse> allow(
            @RequestParam(name = "user_id", required = false) @Nullable String userId,
            @RequestParam(name = "resource", required = false) @Nullable String resource,
            @RequestParam(name = "cost", required = false) @Nullable String cost) {
        String name = Resources.resourceOrDefault(resource);
        BucketKey key = Resources.key(userId, name);
        long tokens = Costs.parse(cost);

        String policyName = resources.policyFor(name);
        Decision decision = limiter.tryConsume(policyName, key, tokens);

        Policy policy = limiter.policies().require(policyName);
        return ResponseEntity.ok()
                .headers(RateLimitHeaders.of(policy, decision))
                .body(AllowResponse.of(decision));
    }
}
