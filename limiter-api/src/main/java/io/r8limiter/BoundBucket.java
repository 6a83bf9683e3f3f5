package io.r8limiter;

import io.r8limiter.RateLimitBackend.BucketBinding;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One bucket of one policy, found once: what a caller that limits a single thing (calls to a partner's API, a job
 * queue, one tenant's import) holds and asks again and again, as it would hold a Bucket4j bucket or a Guava rate
 * limiter. Made by {@link RateLimiter#bucket}.
 *
 * <p>A decision here is the decision {@link RateLimiter#tryConsume(String, BucketKey, long)} makes for the same policy
 * name and key, on the same bucket: both draw on one set of tokens, a policy changed at runtime applies at once,
 * listeners hear every decision and a shadow policy allows. What the bucket saves is finding things: the policy is
 * read through the store's {@linkplain PolicyStore#live live view} and the backend holds on to the bucket (the memory
 * engine to its slot, Redis to the key's name), so a decision costs no map lookup. When the policy is removed, every
 * call throws an {@link IllegalArgumentException} until it is defined again. Thread-safe.
 *
 * @since 0.1
 */
public final class BoundBucket {

    private final RateLimiter limiter;
    private final String policyName;
    private final Supplier<Policy> policy;
    private final BucketKey key;
    private final BucketBinding binding;

    BoundBucket(RateLimiter limiter, String policyName, Supplier<Policy> policy, BucketKey key, BucketBinding binding) {
        this.limiter = limiter;
        this.policyName = policyName;
        this.policy = policy;
        this.key = key;
        this.binding = binding;
    }

    /** Takes one token. */
    public Decision tryConsume() {
        return limiter.tryConsume(this, 1);
    }

    /**
     * Takes {@code cost} tokens from every limit of the bucket, or none.
     *
     * @throws IllegalArgumentException for a cost of zero or less, or above the policy's smallest capacity
     */
    public Decision tryConsume(long cost) {
        return limiter.tryConsume(this, cost);
    }

    /** Like {@link #tryConsume(long)}, completing when the backend answers. */
    public CompletionStage<Decision> tryConsumeAsync(long cost) {
        return limiter.tryConsumeAsync(this, cost);
    }

    /**
     * Takes {@code cost} tokens, waiting up to {@code timeout} for them; see
     * {@link RateLimiter#acquire(String, BucketKey, long, Duration)}.
     */
    public Decision acquire(long cost, Duration timeout) throws InterruptedException {
        return RateLimiter.acquire(() -> tryConsume(cost), timeout);
    }

    /** Every limit of the bucket for a request of one token, taking nothing. */
    public Decision peek() {
        return limiter.peek(policyName, key);
    }

    /** The name of the policy whose bucket this is. */
    public String policyName() {
        return policyName;
    }

    /** The key of the bucket. */
    public BucketKey key() {
        return key;
    }

    /** The policy now in force under {@link #policyName()}. */
    Policy policy() {
        return policy.get();
    }

    BucketBinding binding() {
        return binding;
    }
}
