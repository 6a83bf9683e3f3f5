package io.r8limiter.stats;

import static java.util.Objects.requireNonNull;

import io.r8limiter.BucketKey;
import java.util.Comparator;

/**
 * A key denied often in the window, with how far its count may be off: the top-k summaries behind
 * {@link RateLimitStats#topOffenders} keep bounded memory by letting rare keys share counters, which can only
 * overcount.
 *
 * @param policy the policy that denied it
 * @param key the bucket's key, whose {@link BucketKey#parts() parts} are the caller's values (user id, resource...)
 * @param denied denials counted for this key in the window
 * @param error how much {@code denied} may exceed the true count: 0 when exact; the true count lies in
 *     {@code [denied - error, denied]}
 * @since 0.1
 */
public record Offender(String policy, BucketKey key, long denied, long error) {

    /** Most denied first, then by policy name, then by key. */
    public static final Comparator<Offender> ORDER = Comparator.comparingLong(Offender::denied)
            .reversed()
            .thenComparing(Offender::policy)
            .thenComparing(o -> o.key().encoded());

    public Offender {
        requireNonNull(policy, "policy");
        requireNonNull(key, "key");
    }

    /** Whether {@code denied} is the exact count. */
    public boolean exact() {
        return error == 0;
    }
}
