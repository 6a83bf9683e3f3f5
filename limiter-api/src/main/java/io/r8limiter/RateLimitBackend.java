package io.r8limiter;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where buckets live and decisions are made: in memory ({@code io.r8limiter.memory.MemoryBackend}) or on Redis
 * ({@code io.r8limiter.redis.RedisBackend}).
 *
 * <p>A backend receives policies already validated and costs already checked against {@link Policy#maxCost()}. It
 * must make each decision atomically: check every limit, then debit all of them or none. A backend that cannot
 * reach its store answers with its failure mode and flags the decision {@link Decision#degraded() degraded}; it
 * never throws for an outage.
 *
 * @since 0.1
 */
public interface RateLimitBackend extends AutoCloseable {

    /** Takes {@code cost} tokens from every limit of the bucket, or none. */
    Decision consume(Policy policy, BucketKey key, long cost);

    /** The same as {@link #consume}, completing when the decision is made; batching backends coalesce these. */
    default CompletionStage<Decision> consumeAsync(Policy policy, BucketKey key, long cost) {
        try {
            return CompletableFuture.completedFuture(consume(policy, key, cost));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A hold on one bucket, for a caller that decides on it again and again (see {@link RateLimiter#bucket}): the
     * backend finds what it can once, here, rather than on every decision. Decisions through the binding and through
     * {@link #consume} on the same bucket share its tokens. The default binding calls {@link #consume}.
     *
     * @param policyName the name of the policy whose bucket this is; every decision gives the policy now in force
     *     under it
     */
    default BucketBinding bind(String policyName, BucketKey key) {
        requireNonNull(policyName, "policyName");
        requireNonNull(key, "key");
        return new BucketBinding() {
            @Override
            public Decision consume(Policy policy, long cost) {
                return RateLimitBackend.this.consume(policy, key, cost);
            }

            @Override
            public CompletionStage<Decision> consumeAsync(Policy policy, long cost) {
                return RateLimitBackend.this.consumeAsync(policy, key, cost);
            }
        };
    }

    /** The bucket's figures for a request of one token, taking nothing. */
    Decision peek(Policy policy, BucketKey key);

    /** Makes the bucket full again. */
    void reset(Policy policy, BucketKey key);

    /** A short name for logs and metrics, such as {@code memory} or {@code redis}. */
    String name();

    @Override
    default void close() {}

    /**
     * A backend's hold on one bucket, made by {@link #bind}. It receives the policy in force under the bound name,
     * already validated, and a cost already checked against it. Thread-safe.
     *
     * @since 0.1
     */
    interface BucketBinding {

        /** Takes {@code cost} tokens from every limit of the bucket, or none, as {@link #consume} does. */
        Decision consume(Policy policy, long cost);

        /** The same as {@link #consume(Policy, long)}, completing when the decision is made. */
        default CompletionStage<Decision> consumeAsync(Policy policy, long cost) {
            try {
                return CompletableFuture.completedFuture(consume(policy, cost));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }
}
