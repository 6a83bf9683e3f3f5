package io.r8limiter.spring.actuate;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.LimitStatus;
import io.r8limiter.PolicyEntry;
import io.r8limiter.stats.Counts;
import io.r8limiter.stats.Offender;
import io.r8limiter.stats.Totals;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code ratelimit} endpoint answers, as JSON-ready records. Every count is a {@code long}.
 *
 * @since 0.1
 */
public final class RateLimitDescriptors {

    private RateLimitDescriptors() {}

    /**
     * The endpoint's summary.
     *
     * @param policies every policy in force, sorted by name
     * @param totals decisions in the statistics window, or null when no statistics are kept
     * @param offenders the most denied keys in the window, most denied first
     * @param statsError why statistics could not be read (for example Redis is down), or null
     */
    public record Summary(
            List<PolicyDescriptor> policies,
            @Nullable TotalsDescriptor totals,
            List<OffenderDescriptor> offenders,
            @Nullable String statsError) {}

    /**
     * A policy in force.
     *
     * @param name the policy's name
     * @param version 0 for a configured policy never overridden; increases with each override
     * @param source {@code configuration} or {@code override}
     * @param shadow whether denials are only counted
     * @param limits the limits, in order
     * @param compact the limits in the compact form the write operation takes
     */
    public record PolicyDescriptor(
            String name, long version, String source, boolean shadow, List<LimitDescriptor> limits, String compact) {

        static PolicyDescriptor of(PolicyEntry entry) {
            List<LimitDescriptor> limits =
                    entry.policy().limits().stream().map(LimitDescriptor::of).toList();
            return new PolicyDescriptor(
                    entry.policy().name(),
                    entry.version(),
                    entry.source().name().toLowerCase(Locale.ROOT),
                    entry.policy().shadow(),
                    limits,
                    FlatLimits.format(entry.policy().limits()));
        }
    }

    /**
     * One limit of a policy.
     *
     * @param capacity the most tokens the bucket holds
     * @param refillTokens tokens that come back per period
     * @param refillPeriodMs the period in milliseconds
     */
    public record LimitDescriptor(long capacity, long refillTokens, long refillPeriodMs) {
        static LimitDescriptor of(Limit limit) {
            return new LimitDescriptor(limit.capacity(), limit.refillTokens(), limit.refillPeriodMillis());
        }
    }

    /**
     * Decisions in the window.
     *
     * @param windowMs the window in milliseconds
     * @param allowed allowed decisions of every policy
     * @param denied denied decisions of every policy
     * @param degraded decisions made by a failure mode (also counted as allowed or denied)
     * @param byPolicy the same counts per policy
     */
    public record TotalsDescriptor(
            long windowMs, long allowed, long denied, long degraded, Map<String, CountsDescriptor> byPolicy) {
        static TotalsDescriptor of(Totals totals) {
            Map<String, CountsDescriptor> byPolicy = new LinkedHashMap<>();
            totals.byPolicy().forEach((name, counts) -> byPolicy.put(name, CountsDescriptor.of(counts)));
            return new TotalsDescriptor(
                    totals.window().toMillis(), totals.allowed(), totals.denied(), totals.degraded(), byPolicy);
        }
    }

    /**
     * Decision counts.
     *
     * @param allowed allowed decisions
     * @param denied denied decisions
     * @param degraded degraded decisions
     */
    public record CountsDescriptor(long allowed, long denied, long degraded) {
        static CountsDescriptor of(Counts counts) {
            return new CountsDescriptor(counts.allowed(), counts.denied(), counts.degraded());
        }
    }

    /**
     * A key denied often.
     *
     * @param policy the policy that denied it
     * @param key the key's parts, such as {@code ["principal", "alice"]}
     * @param denied denials in the window
     * @param error how much {@code denied} may overcount; 0 when exact
     */
    public record OffenderDescriptor(String policy, List<String> key, long denied, long error) {
        static OffenderDescriptor of(Offender offender) {
            return new OffenderDescriptor(
                    offender.policy(), offender.key().parts(), offender.denied(), offender.error());
        }
    }

    /**
     * One bucket, peeked without taking tokens.
     *
     * @param policy the policy
     * @param key the key's parts
     * @param remaining whole tokens left in the tightest limit
     * @param limit the tightest limit's capacity
     * @param resetMs milliseconds until the tightest limit is full
     * @param degraded whether the backend could not answer and these figures are not real
     * @param limits every limit's figures, in the policy's order
     */
    public record KeyDescriptor(
            String policy,
            List<String> key,
            long remaining,
            long limit,
            long resetMs,
            boolean degraded,
            List<LimitStatusDescriptor> limits) {
        static KeyDescriptor of(String policy, BucketKey key, Decision peek) {
            List<LimitStatusDescriptor> limits =
                    peek.limits().stream().map(LimitStatusDescriptor::of).toList();
            return new KeyDescriptor(
                    policy, key.parts(), peek.remaining(), peek.limit(), peek.resetMillis(), peek.degraded(), limits);
        }
    }

    /**
     * One limit of a bucket.
     *
     * @param capacity the limit's capacity
     * @param refillTokens tokens that come back per period
     * @param refillPeriodMs the period in milliseconds
     * @param remaining whole tokens left
     * @param resetMs milliseconds until full
     */
    public record LimitStatusDescriptor(
            long capacity, long refillTokens, long refillPeriodMs, long remaining, long resetMs) {
        static LimitStatusDescriptor of(LimitStatus status) {
            Limit limit = status.limit();
            return new LimitStatusDescriptor(
                    limit.capacity(),
                    limit.refillTokens(),
                    limit.refillPeriodMillis(),
                    status.remaining(),
                    status.resetMillis());
        }
    }

    /**
     * Why a request was refused, shaped like an RFC 9457 problem.
     *
     * @param status the HTTP status
     * @param title the status's reason phrase
     * @param detail what was wrong, naming the field and the value
     */
    public record ProblemDescriptor(int status, String title, String detail) {
        static ProblemDescriptor badRequest(String detail) {
            return new ProblemDescriptor(400, "Bad Request", detail);
        }
    }
}
