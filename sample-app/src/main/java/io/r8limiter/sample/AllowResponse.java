package io.r8limiter.sample;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.r8limiter.Decision;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /allow}: the decision's figures for the tightest limit, all as JSON integers (64-bit).
 *
 * @param allowed whether the tokens were taken
 * @param remaining whole tokens left after this decision
 * @param resetMillis milliseconds until the bucket is full again
 * @param retryAfterMillis milliseconds until the same request could be allowed; 0 when allowed
 * @param limit the capacity of the tightest limit
 * @param degraded {@code true} when the backend failed and the failure mode answered; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AllowResponse(
        @JsonProperty("allowed") boolean allowed,
        @JsonProperty("remaining") long remaining,
        @JsonProperty("reset_ms") long resetMillis,
        @JsonProperty("retry_after_ms") long retryAfterMillis,
        @JsonProperty("limit") long limit,
        @JsonProperty("degraded") @Nullable Boolean degraded) {

    static AllowResponse of(Decision d) {
        return new AllowResponse(
                d.allowed(),
                d.remaining(),
                d.resetMillis(),
                d.retryAfterMillis(),
                d.limit(),
                d.degraded() ? true : null);
    }
}
