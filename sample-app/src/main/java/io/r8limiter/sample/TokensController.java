package io.r8limiter.sample;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.LimitStatus;
import io.r8limiter.RateLimiter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/tokens}: shows one bucket without taking from it, or makes it full again. The user id and resource
 * are literal values, never patterns: {@code user_id=*} is the user called {@code *}. While the store cannot be
 * reached, both answer 503 rather than figures the failure mode made up.
 */
@RestController
@RequestMapping(path = "/admin/tokens", produces = "application/json")
class TokensController {

    private final RateLimiter limiter;
    private final Resources resources;

    TokensController(RateLimiter limiter, Resources resources) {
        this.limiter = limiter;
        this.resources = resources;
    }

    @GetMapping
    TokensView peek(HttpServletRequest request) {
        String name = Resources.resourceOrDefault(SingleParameters.get(request, "resource"));
        BucketKey key = Resources.key(SingleParameters.get(request, "user_id"), name);
        Decision decision = resources.withPolicy(name, policy -> limiter.peek(policy, key));
        if (decision.degraded()) {
            // the failure mode's figures describe no stored bucket: the store could not be read, as for a reset
            throw new StoreOutages.Unavailable("the bucket could not be read: the failure mode answered the peek");
        }
        return TokensView.of(decision);
    }

    @DeleteMapping
    ResponseEntity<Void> reset(HttpServletRequest request) {
        String name = Resources.resourceOrDefault(SingleParameters.get(request, "resource"));
        BucketKey key = Resources.key(SingleParameters.get(request, "user_id"), name);
        resources.withPolicy(name, policy -> {
            limiter.reset(policy, key);
            return policy;
        });
        return ResponseEntity.noContent().build();
    }

    /**
     * A bucket's figures for a request of one token.
     *
     * @param remaining whole tokens left in the tightest limit
     * @param resetMillis milliseconds until the tightest limit is full again
     * @param limit the tightest limit's capacity
     * @param limits each limit's figures, in the policy's order
     */
    record TokensView(
            @JsonProperty("remaining") long remaining,
            @JsonProperty("reset_ms") long resetMillis,
            @JsonProperty("limit") long limit,
            @JsonProperty("limits") List<LimitFigures> limits) {

        static TokensView of(Decision d) {
            return new TokensView(
                    d.remaining(),
                    d.resetMillis(),
                    d.limit(),
                    d.limits().stream().map(LimitFigures::of).toList());
        }
    }

    /** One limit's figures. */
    record LimitFigures(
            @JsonProperty("capacity") long capacity,
            @JsonProperty("refill_tokens") long refillTokens,
            @JsonProperty("refill_period_ms") long refillPeriodMillis,
            @JsonProperty("remaining") long remaining,
            @JsonProperty("reset_ms") long resetMillis) {

        static LimitFigures of(LimitStatus s) {
            return new LimitFigures(
                    s.limit().capacity(),
                    s.limit().refillTokens(),
                    s.limit().refillPeriodMillis(),
                    s.remaining(),
                    s.resetMillis());
        }
    }
}
