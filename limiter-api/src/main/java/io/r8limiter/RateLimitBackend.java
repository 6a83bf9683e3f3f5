package io.r8limiter;

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

    /** The bucket's figures for a request of one token, taking nothing. */
    Decision peek(Policy policy, BucketKey key);

    /** Makes the bucket full again. */
    void reset(Policy policy, BucketKey key);

    /** A short name for logs and metrics, such as {@code memory} or {@code redis}. */
    String name();

    @Override
    default void close() {}
}
