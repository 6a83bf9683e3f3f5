package io.r8limiter.spring.actuate;

import io.r8limiter.BucketKey;
import io.r8limiter.Policy;
import io.r8limiter.PolicyEntry;
import io.r8limiter.RateLimiter;
import io.r8limiter.spring.actuate.RateLimitDescriptors.KeyDescriptor;
import io.r8limiter.spring.actuate.RateLimitDescriptors.OffenderDescriptor;
import io.r8limiter.spring.actuate.RateLimitDescriptors.PolicyDescriptor;
import io.r8limiter.spring.actuate.RateLimitDescriptors.Summary;
import io.r8limiter.spring.actuate.RateLimitDescriptors.TotalsDescriptor;
import io.r8limiter.stats.RateLimitStats;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The {@code ratelimit} actuator endpoint: the policies in force, decision totals and top offenders; one bucket's
 * figures; runtime policy overrides; and key resets.
 *
 * <ul>
 *   <li>read {@code /actuator/ratelimit[?offenders=N]}: policies (with version and source), totals by outcome, the N
 *       most denied keys (10 by default, at most 1000);
 *   <li>read {@code /actuator/ratelimit/{policy}/{part}/{part}...}: every limit of one bucket, taking nothing, for
 *       example {@code /actuator/ratelimit/api/principal/alice};
 *   <li>write {@code /actuator/ratelimit/{policy}} with {@code {"limits": "100/1m,1000/1h", "shadow": false}}: sets
 *       a runtime override (shared by the fleet on the Redis backend) that wins over the configuration;
 *   <li>delete {@code /actuator/ratelimit/{policy}}: removes the override; delete
 *       {@code /actuator/ratelimit/{policy}/{part}...}: makes that bucket full again.
 * </ul>
 *
 * <p>Reads show callers' keys, so every operation is protected by {@link RateLimitEndpointWebExtension}, which
 * checks the caller's role. The endpoint is therefore a web endpoint only: JMX has no caller to check, so it never
 * exposes it, whatever {@code management.endpoints.jmx.exposure.include} says. Statistics are those of the
 * {@link RateLimitStats} bean: per instance in memory, fleet-wide on Redis.
 *
 * @since 0.1
 */
@WebEndpoint(id = "ratelimit")
public class RateLimitEndpoint {

    /** Offenders listed when the read does not say. */
    static final int DEFAULT_OFFENDERS = 10;

    /** The most offenders one read lists, so the answer stays small whatever the traffic. */
    static final int MAX_OFFENDERS = 1000;

    private final RateLimiter limiter;
    private final @Nullable RateLimitStats stats;

    /** An endpoint over {@code limiter}'s policies and backend, and {@code stats} if any are kept. */
    public RateLimitEndpoint(RateLimiter limiter, @Nullable RateLimitStats stats) {
        this.limiter = limiter;
        this.stats = stats;
    }

    /** Policies, totals and the most denied keys. */
    @ReadOperation
    public Summary summary(@Nullable Integer offenders) {
        List<PolicyDescriptor> policies =
                limiter.policies().list().stream().map(PolicyDescriptor::of).toList();
        if (stats == null) {
            return new Summary(policies, null, List.of(), null);
        }
        int count = offenders == null ? DEFAULT_OFFENDERS : Math.max(0, Math.min(MAX_OFFENDERS, offenders));
        try {
            TotalsDescriptor totals = TotalsDescriptor.of(stats.totals());
            List<OffenderDescriptor> top = stats.topOffenders(count).stream()
                    .map(OffenderDescriptor::of)
                    .toList();
            return new Summary(policies, totals, top, null);
        } catch (RuntimeException e) {
            return new Summary(policies, null, List.of(), "statistics are unavailable: " + e.getMessage());
        }
    }

    /** Every limit of the bucket of {@code policy} and {@code key}, taking nothing. */
    @ReadOperation
    public KeyDescriptor key(@Selector String policy, @Selector(match = Match.ALL_REMAINING) String[] key) {
        BucketKey bucket = bucketKey(key);
        return KeyDescriptor.of(policy, bucket, call(() -> limiter.peek(policy, bucket)));
    }

    /** Sets a runtime override of {@code policy}; {@code limits} as in {@code 100/1m,1000/1h}. */
    @WriteOperation
    public PolicyDescriptor setOverride(@Selector String policy, String limits, @Nullable Boolean shadow) {
        Policy replacement =
                call(() -> Policy.of(policy, FlatLimits.parse(limits)).withShadow(shadow != null && shadow));
        PolicyEntry entry = limiter.policies().putOverride(replacement);
        return PolicyDescriptor.of(entry);
    }

    /** Removes the override of {@code policy}; returns whether there was one. */
    @DeleteOperation
    public boolean removeOverride(@Selector String policy) {
        return limiter.policies().removeOverride(policy);
    }

    /** Makes the bucket of {@code policy} and {@code key} full again; returns it as it is now. */
    @DeleteOperation
    public KeyDescriptor reset(@Selector String policy, @Selector(match = Match.ALL_REMAINING) String[] key) {
        BucketKey bucket = bucketKey(key);
        return KeyDescriptor.of(policy, bucket, call(() -> {
            limiter.reset(policy, bucket);
            return limiter.peek(policy, bucket);
        }));
    }

    private static BucketKey bucketKey(String[] parts) {
        if (parts == null || parts.length == 0) {
            throw new InvalidEndpointRequestException("a key needs at least one part", "missing key");
        }
        return call(() -> BucketKey.of(parts));
    }

    /** Runs {@code action}, turning bad input into a 400 whose reason is the core's message. */
    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
        }
    }
}
