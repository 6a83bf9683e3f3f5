package io.r8limiter;

import static java.util.Objects.requireNonNull;

import io.r8limiter.RateLimitBackend.BucketBinding;
import io.r8limiter.memory.MemoryBackend;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a caller may spend tokens now: the front door of r8limiter.
 *
 * <p>Each call names a policy (looked up in the {@link PolicyStore}, so runtime overrides apply at once) and a
 * {@link BucketKey}. Bad input (an unknown policy, a cost of zero or less, a cost above the policy's smallest
 * capacity) throws an {@link IllegalArgumentException} naming the value and changes nothing. A backend outage never
 * throws: the backend's failure mode answers with a degraded decision. Shadow policies return allowances for
 * denials, but listeners see the real outcome. Thread-safe; every method may be called from any thread.
 *
 * @since 0.1
 */
public final class RateLimiter implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RateLimiter.class.getName());

    /** One in this many in-memory decisions is timed for listeners; the others report {@code NOT_TIMED}. */
    static final int IN_MEMORY_TIMING_SAMPLE = 64;

    private final RateLimitBackend backend;
    private final PolicyStore policies;
    private final DecisionListener[] listeners;
    private final boolean inMemory;

    private RateLimiter(Builder builder) {
        this.backend = builder.backend != null ? builder.backend : new MemoryBackend(TimeSource.SYSTEM);
        this.policies = requireNonNull(builder.policies, "policies");
        this.listeners = builder.listeners.toArray(new DecisionListener[0]);
        this.inMemory = backend instanceof MemoryBackend;
    }

    /** Starts a limiter; without a backend it decides in memory. */
    public static Builder builder() {
        return new Builder();
    }

    /** Takes one token from the bucket {@code key} of {@code policy}. */
    public Decision tryConsume(String policy, BucketKey key) {
        return tryConsume(policy, key, 1);
    }

    /** Takes {@code cost} tokens from every limit of the bucket, or none. */
    public Decision tryConsume(String policy, BucketKey key, long cost) {
        return decide(checked(policy, key, cost), key, cost, null);
    }

    /**
     * The bucket {@code key} of {@code policy}, found once for a caller that decides on it again and again: its
     * decisions are this limiter's on the same bucket, without the lookups (see {@link BoundBucket}).
     *
     * @throws IllegalArgumentException when no policy of that name is in force
     */
    public BoundBucket bucket(String policy, BucketKey key) {
        requireNonNull(key, "key");
        policies.require(requireNonNull(policy, "policy"));
        return new BoundBucket(this, policy, policies.live(policy), key, backend.bind(policy, key));
    }

    /** {@link BoundBucket#tryConsume(long)}: the front door's steps, asking the bucket's binding. */
    Decision tryConsume(BoundBucket bucket, long cost) {
        Policy p = bucket.policy();
        checkCost(p, cost);
        return decide(p, bucket.key(), cost, bucket.binding());
    }

    CompletionStage<Decision> tryConsumeAsync(BoundBucket bucket, long cost) {
        Policy p;
        try {
            p = bucket.policy();
            checkCost(p, cost);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return decideAsync(p, bucket.key(), cost, bucket.binding());
    }

    /** Like {@link #tryConsume(String, BucketKey, long)}, completing when the backend answers. */
    public CompletionStage<Decision> tryConsumeAsync(String policy, BucketKey key, long cost) {
        Policy p;
        try {
            p = checked(policy, key, cost);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return decideAsync(p, key, cost, null);
    }

    /**
     * Takes {@code cost} tokens, waiting up to {@code timeout} for them, for callers throttling their own calls.
     * Returns the allowing decision, or the last denial when the tokens cannot be had within the timeout (it then
     * returns at once rather than sleep in vain).
     */
    public Decision acquire(String policy, BucketKey key, long cost, Duration timeout) throws InterruptedException {
        return acquire(() -> tryConsume(policy, key, cost), timeout);
    }

    /** Asks {@code attempt} until it allows, or until the wait it asks for would pass the timeout. */
    static Decision acquire(Supplier<Decision> attempt, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + requireNonNull(timeout, "timeout").toNanos();
        while (true) {
            Decision decision = attempt.get();
            long left = deadline - System.nanoTime();
            if (decision.allowed() || TimeUnit.MILLISECONDS.toNanos(decision.retryAfterMillis()) > left) {
                return decision;
            }
            TimeUnit.MILLISECONDS.sleep(decision.retryAfterMillis());
        }
    }

    /** Every limit of the bucket for a request of one token, taking nothing. */
    public Decision peek(String policy, BucketKey key) {
        Policy p = policies.require(policy);
        return backend.peek(p, requireNonNull(key, "key"));
    }

    /** Makes the bucket full again. */
    public void reset(String policy, BucketKey key) {
        Policy p = policies.require(policy);
        backend.reset(p, requireNonNull(key, "key"));
    }

    /** The policies this limiter decides with. */
    public PolicyStore policies() {
        return policies;
    }

    /** The backend that holds the buckets. */
    public RateLimitBackend backend() {
        return backend;
    }

    /** Closes the backend and the policy store. */
    @Override
    public void close() {
        backend.close();
        try {
            policies.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing the policy store failed", e);
        }
    }

    /**
     * Whether to time this decision. A remote backend's round trip is always timed; an in-memory decision takes about
     * as long as the two clock reads that would time it, so only one in {@value #IN_MEMORY_TIMING_SAMPLE} is.
     */
    private boolean timed() {
        return !inMemory || ThreadLocalRandom.current().nextInt(IN_MEMORY_TIMING_SAMPLE) == 0;
    }

    /**
     * Decides a checked request and tells the listeners; {@code binding} is the bound bucket's, or {@code null} to ask
     * the backend by key.
     */
    private Decision decide(Policy p, BucketKey key, long cost, @Nullable BucketBinding binding) {
        if (listeners.length == 0) {
            // no one to tell the latency: skip the two clock reads, which cost as much as an in-memory decision
            Decision decision = consume(p, key, cost, binding);
            return p.shadow() ? decision.asAllowed() : decision;
        }
        if (!timed()) {
            return published(p, key, consume(p, key, cost, binding), DecisionListener.NOT_TIMED);
        }
        long start = System.nanoTime();
        Decision decision = consume(p, key, cost, binding);
        return published(p, key, decision, System.nanoTime() - start);
    }

    private CompletionStage<Decision> decideAsync(Policy p, BucketKey key, long cost, @Nullable BucketBinding binding) {
        long start = System.nanoTime();
        CompletionStage<Decision> answer =
                binding == null ? backend.consumeAsync(p, key, cost) : binding.consumeAsync(p, cost);
        return answer.thenApply(decision -> published(p, key, decision, System.nanoTime() - start));
    }

    private Decision consume(Policy p, BucketKey key, long cost, @Nullable BucketBinding binding) {
        return binding == null ? backend.consume(p, key, cost) : binding.consume(p, cost);
    }

    private Policy checked(String policy, BucketKey key, long cost) {
        requireNonNull(key, "key");
        Policy p = policies.require(requireNonNull(policy, "policy"));
        checkCost(p, cost);
        return p;
    }

    /**
     * Rejects a cost no bucket could ever satisfy.
     *
     * @throws IllegalArgumentException naming the cost and the capacity it exceeds
     */
    public static void checkCost(Policy policy, long cost) {
        if (cost <= 0) {
            throw new IllegalArgumentException("cost must be positive but was " + cost);
        }
        if (cost > policy.maxCost()) {
            throw new IllegalArgumentException("cost " + cost + " exceeds the capacity " + policy.maxCost()
                    + " of policy '" + policy.name() + "'");
        }
    }

    private Decision published(Policy policy, BucketKey key, Decision decision, long nanos) {
        for (DecisionListener listener : listeners) {
            try {
                listener.onDecision(policy, key, decision, nanos);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "a decision listener failed", e);
            }
        }
        return policy.shadow() ? decision.asAllowed() : decision;
    }

    /** Assembles a {@link RateLimiter}. */
    public static final class Builder {
        private RateLimitBackend backend;
        private PolicyStore policies;
        private final List<DecisionListener> listeners = new ArrayList<>();

        private Builder() {}

        /** Where buckets live; in memory when not set. */
        public Builder backend(RateLimitBackend backend) {
            this.backend = requireNonNull(backend, "backend");
            return this;
        }

        /** The policies in force. */
        public Builder policies(PolicyStore policies) {
            this.policies = requireNonNull(policies, "policies");
            return this;
        }

        /** Fixed policies, held locally. */
        public Builder policies(Policy... policies) {
            return policies(LocalPolicyStore.of(policies));
        }

        /** Adds a listener that hears every decision. */
        public Builder listener(DecisionListener listener) {
            listeners.add(requireNonNull(listener, "listener"));
            return this;
        }

        /** The limiter. */
        public RateLimiter build() {
            return new RateLimiter(this);
        }
    }
}
