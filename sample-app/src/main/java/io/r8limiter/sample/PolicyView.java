package io.r8limiter.sample;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.PolicyEntry;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A policy as the admin API shows it. A one-limit policy also carries its figures at the top level, mirroring the
 * short form of {@code PUT /admin/policy}.
 *
 * @param resource the resource the policy decides; null for the default policy
 * @param name the policy's name: the resource, or {@code default}
 * @param capacity the single limit's capacity; absent when there are several limits
 * @param refillTokens the single limit's refill amount; absent when there are several limits
 * @param refillPeriodMillis the single limit's refill period; absent when there are several limits
 * @param limits every limit
 * @param version increases with every runtime change of this policy; 0 when configured and never overridden
 * @param source {@code configuration} or {@code override}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PolicyView(
        @JsonProperty("resource") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String resource,
        @JsonProperty("name") String name,
        @JsonProperty("capacity") @Nullable Long capacity,
        @JsonProperty("refill_tokens") @Nullable Long refillTokens,
        @JsonProperty("refill_period_ms") @Nullable Long refillPeriodMillis,
        @JsonProperty("limits") List<LimitView> limits,
        @JsonProperty("version") long version,
        @JsonProperty("source") String source) {

    static PolicyView of(PolicyEntry entry) {
        Policy p = entry.policy();
        List<LimitView> limits = p.limits().stream().map(LimitView::of).toList();
        LimitView single = limits.size() == 1 ? limits.get(0) : null;
        return new PolicyView(
                p.name().equals(Resources.DEFAULT) ? null : p.name(),
                p.name(),
                single == null ? null : single.capacity(),
                single == null ? null : single.refillTokens(),
                single == null ? null : single.refillPeriodMillis(),
                limits,
                entry.version(),
                entry.source().name().toLowerCase(Locale.ROOT));
    }

    /** One limit of a policy. */
    record LimitView(
            @JsonProperty("capacity") long capacity,
            @JsonProperty("refill_tokens") long refillTokens,
            @JsonProperty("refill_period_ms") long refillPeriodMillis) {

        static LimitView of(Limit limit) {
            return new LimitView(limit.capacity(), limit.refillTokens(), limit.refillPeriodMillis());
        }
    }
}
