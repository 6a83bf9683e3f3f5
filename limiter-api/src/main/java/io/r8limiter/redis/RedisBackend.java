package io.r8limiter.redis;

import static java.util.Objects.requireNonNull;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.FailureMode;
import io.r8limiter.Policy;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.RateLimiter;
import io.r8limiter.memory.MemoryBackend;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Buckets on Redis (standalone, Sentinel or Cluster, through one {@link UnifiedJedis}), shared by every instance of
 * an application: each decision is one Lua script call that refills, checks and debits every limit of the bucket
 * atomically, on Redis' own clock.
 *
 * <p>A bucket is one hash key, {@code <prefix>:3:{<tag>}:<id>}, whose expiry is set to its time to full in the same
 * script call, so idle buckets vanish and no key is ever left without one. The hash tag is derived from the bucket
 * id, never taken from user input. The script is sent by SHA; a NOSCRIPT reply (after a restart, failover or SCRIPT
 * FLUSH) is answered inside the same decision by sending the script body once.
 *
 * <p>When Redis fails or does not answer within the client's timeouts, the {@link FailureMode} decides, and the
 * decision is flagged degraded: {@code OPEN} allows, {@code CLOSED} denies, {@code LOCAL} decides on in-memory
 * buckets of this instance. A decision whose command may have reached the server is never sent again, since it may
 * have debited: neither after a timeout nor after the server closed the connection, which it may do after running
 * the script (idle connections a restart left dead are weeded out by the pool, see {@link RedisClients}). A
 * Resilience4j circuit breaker sends decisions straight to the failure mode while Redis keeps failing, so a dead
 * Redis costs no timeout per request, and lets a few trial decisions through after a pause to detect recovery.
 *
 * <p>Stored state keeps the deficit of each limit with the limit it was written under, so a changed policy applies
 * to existing buckets at once: each limit continues the stored limit that is the same one (see
 * {@link io.r8limiter.internal.LimitMatch}), whatever its position, with the deficit converted. A key written before
 * a refill slowdown may still expire on its old, shorter expiry, which grants the bucket a full refill early.
 *
 * <p>Thread-safe. The Jedis client is the caller's: {@link #close()} does not close it.
 *
 * @since 0.1
 */
public final class RedisBackend implements RateLimitBackend {

    private static final System.Logger LOG = System.getLogger(RedisBackend.class.getName());

    /**
     * Most pipelines out at once. Measured against one Redis on two cores with 8 to 32 callers: two left the server
     * idle while a returning batch handed on to the next (0.7 x one call per decision at 8 callers), four kept it
     * busy and still filled the pipelines (1.1 x at 8, 1.4 x at 16, 1.55 x at 32), six gained nothing more.
     */
    static final int MAX_BATCHES_IN_FLIGHT = 4;

    private final UnifiedJedis jedis;
    private final Transport transport;
    private final BucketScript script;
    private final RedisKeys keys;
    private final FailureMode failureMode;
    private final MemoryBackend local;
    private final CircuitBreaker circuit;
    private final CopyOnWriteArrayList<Consumer<CircuitState>> circuitListeners = new CopyOnWriteArrayList<>();
    private final @Nullable Coalescing coalescing;

    private RedisBackend(Builder b) {
        this.jedis = requireNonNull(b.jedis, "jedis");
        this.transport = Transport.of(jedis);
        this.script = b.script;
        this.keys = RedisKeys.of(b.keyPrefix);
        this.failureMode = b.failureMode;
        this.local = b.local != null ? b.local : MemoryBackend.builder().build();
        this.circuit = CircuitBreaker.of("r8limiter-redis", b.circuitConfig);
        circuit.getEventPublisher().onStateTransition(event -> circuitChanged(event.getStateTransition()));
        this.coalescing = b.coalescing && !(jedis instanceof JedisCluster)
                ? new Coalescing(MAX_BATCHES_IN_FLIGHT, this::decideBatch)
                : null;
    }

    /** Starts a backend; {@link Builder#jedis} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides on Redis. With {@linkplain Builder#coalescing(boolean) coalescing} (the default on standalone and
     * Sentinel), a call made while {@value #MAX_BATCHES_IN_FLIGHT} others are in flight waits and goes out in the
     * next pipeline, together with the others that arrived meanwhile; a call that finds a place free goes out at once,
     * on the calling thread.
     */
    @Override
    public Decision consume(Policy policy, BucketKey key, long cost) {
        RateLimiter.checkCost(policy, cost);
        return consume(policy, key, cost, keys.of(policy.name(), key));
    }

    /**
     * Like {@link #consume}, without blocking the caller: with coalescing on, the decision is sent by one of the
     * backend's daemon threads, in a pipeline with the others waiting; otherwise it is decided on the calling thread.
     */
    @Override
    public CompletionStage<Decision> consumeAsync(Policy policy, BucketKey key, long cost) {
        try {
            RateLimiter.checkCost(policy, cost);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return consumeAsync(policy, key, cost, keys.of(policy.name(), key));
    }

    /** Names the bucket's Redis key once, so that its decisions skip hashing the bucket id. */
    @Override
    public BucketBinding bind(String policyName, BucketKey key) {
        String redisKey = keys.of(policyName, key);
        return new BucketBinding() {
            @Override
            public Decision consume(Policy policy, long cost) {
                return RedisBackend.this.consume(policy, key, cost, redisKey);
            }

            @Override
            public CompletionStage<Decision> consumeAsync(Policy policy, long cost) {
                return RedisBackend.this.consumeAsync(policy, key, cost, redisKey);
            }
        };
    }

    @Override
    public Decision peek(Policy policy, BucketKey key) {
        return decide(policy, key, 1, false);
    }

    /**
     * Deletes the bucket's key (and the in-memory bucket of the {@code LOCAL} failure mode).
     *
     * @throws IllegalStateException when Redis cannot be reached, since the bucket was then not reset
     */
    @Override
    public void reset(Policy policy, BucketKey key) {
        local.reset(policy, key);
        try {
            jedis.del(keys.of(policy.name(), key));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the bucket could not be reset: redis is unavailable", e);
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    /** The failure mode that answers while Redis is unavailable. */
    public FailureMode failureMode() {
        return failureMode;
    }

    /** The circuit breaker's current state. */
    public CircuitState circuitState() {
        return CircuitState.of(circuit.getState());
    }

    /** Adds a listener told of every change of the circuit state, on the thread whose call caused it. */
    public void onCircuitStateChange(Consumer<CircuitState> listener) {
        circuitListeners.add(requireNonNull(listener, "listener"));
    }

    /**
     * Stops the coalescing threads and closes the in-memory buckets of the {@code LOCAL} failure mode; the Jedis client
     * stays open.
     */
    @Override
    public void close() {
        if (coalescing != null) {
            coalescing.close();
        }
        local.close();
    }

    /** The most decisions sent in one pipeline so far; 0 without coalescing. */
    int largestBatch() {
        return coalescing == null ? 0 : coalescing.largestBatch();
    }

    /** Decides a checked cost on the bucket stored at {@code redisKey}. */
    private Decision consume(Policy policy, BucketKey key, long cost, String redisKey) {
        // the circuit is asked for each decision before it queues, so with Redis failing none waits for a place
        if (!circuit.tryAcquirePermission()) {
            return fallback(policy, key, cost, true);
        }
        if (coalescing == null) {
            return decidePermitted(policy, key, cost, true, redisKey);
        }
        return coalescing.decide(policy, key, cost, redisKey);
    }

    private CompletionStage<Decision> consumeAsync(Policy policy, BucketKey key, long cost, String redisKey) {
        if (coalescing == null) {
            return CompletableFuture.completedFuture(consume(policy, key, cost, redisKey));
        }
        if (!circuit.tryAcquirePermission()) {
            return CompletableFuture.completedFuture(fallback(policy, key, cost, true));
        }
        return coalescing.submit(policy, key, cost, redisKey);
    }

    private Decision decide(Policy policy, BucketKey key, long cost, boolean consume) {
        if (!circuit.tryAcquirePermission()) {
            return fallback(policy, key, cost, consume);
        }
        return decidePermitted(policy, key, cost, consume, keys.of(policy.name(), key));
    }

    /** Decides a call the circuit has already let through, and tells the circuit how it went. */
    private Decision decidePermitted(Policy policy, BucketKey key, long cost, boolean consume, String redisKey) {
        long start = System.nanoTime();
        try {
            Decision decision = script.run(transport, redisKey, policy, cost, consume);
            circuit.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return decision;
        } catch (RuntimeException e) {
            circuit.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            LOG.log(Level.DEBUG, "redis decision failed, the failure mode {0} answers: {1}", failureMode, e);
            return fallback(policy, key, cost, consume);
        }
    }

    private Decision fallback(Policy policy, BucketKey key, long cost, boolean consume) {
        return switch (failureMode) {
            case OPEN -> Decision.degraded(policy, true);
            case CLOSED -> Decision.degraded(policy, false);
            case LOCAL -> (consume ? local.consume(policy, key, cost) : local.peek(policy, key)).asDegraded();
        };
    }

    /**
     * Decides a batch, each decision already let through by the circuit, in one pipeline; the circuit hears of every
     * decision, so a stalled Redis opens it after as many failed decisions as without coalescing, and decisions
     * still queued when it opens are answered by the failure mode without being sent. A NOSCRIPT reply
     * ran nothing, so that decision goes again on its own; a failed pipeline is never resent, and the failure mode
     * answers every decision in it.
     */
    private void decideBatch(List<Coalescing.Pending> batch) {
        if (circuit.getState() == CircuitBreaker.State.OPEN) {
            // the circuit opened while these waited for a place: sending them would cost each a timeout more
            for (Coalescing.Pending p : batch) {
                circuit.releasePermission();
                p.future().complete(fallback(p.policy(), p.key(), p.cost(), true));
            }
            return;
        }
        if (batch.size() == 1) {
            Coalescing.Pending p = batch.get(0);
            p.future().complete(decidePermitted(p.policy(), p.key(), p.cost(), true, p.redisKey()));
            return;
        }
        long start = System.nanoTime();
        List<Object> replies;
        try {
            replies = script.runPipelined(
                    jedis,
                    batch.stream().map(Coalescing.Pending::redisKey).toList(),
                    batch.stream()
                            .map(p -> BucketScript.args(p.policy(), p.cost(), true))
                            .toList());
        } catch (RuntimeException e) {
            long took = System.nanoTime() - start;
            LOG.log(Level.DEBUG, "redis batch failed, the failure mode {0} answers: {1}", failureMode, e);
            for (Coalescing.Pending p : batch) {
                circuit.onError(took, TimeUnit.NANOSECONDS, e);
                p.future().complete(fallback(p.policy(), p.key(), p.cost(), true));
            }
            return;
        }
        long took = System.nanoTime() - start;
        for (int i = 0; i < batch.size(); i++) {
            Coalescing.Pending p = batch.get(i);
            try {
                complete(p, replies.get(i), took);
            } catch (RuntimeException e) {
                LOG.log(
                        Level.DEBUG,
                        "a batched reply could not be read, the failure mode {0} answers: {1}",
                        failureMode,
                        e);
                p.future().complete(fallback(p.policy(), p.key(), p.cost(), true));
            }
        }
    }

    private void complete(Coalescing.Pending p, Object reply, long tookNanos) {
        if (reply instanceof JedisNoScriptException) {
            circuit.onSuccess(tookNanos, TimeUnit.NANOSECONDS);
            p.future().complete(decide(p.policy(), p.key(), p.cost(), true));
        } else if (reply instanceof RuntimeException e) {
            circuit.onError(tookNanos, TimeUnit.NANOSECONDS, e);
            LOG.log(Level.DEBUG, "redis refused a batched decision, the failure mode {0} answers: {1}", failureMode, e);
            p.future().complete(fallback(p.policy(), p.key(), p.cost(), true));
        } else {
            circuit.onSuccess(tookNanos, TimeUnit.NANOSECONDS);
            p.future().complete(BucketScript.decision(p.policy(), reply));
        }
    }

    private void circuitChanged(CircuitBreaker.StateTransition transition) {
        CircuitState state = CircuitState.of(transition.getToState());
        if (state == CircuitState.OPEN) {
            LOG.log(Level.WARNING, "redis keeps failing; decisions go to the failure mode {0} for now", failureMode);
        } else if (state == CircuitState.CLOSED) {
            LOG.log(Level.INFO, "redis answers again; decisions go to redis");
        }
        for (Consumer<CircuitState> listener : circuitListeners) {
            try {
                listener.accept(state);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "a circuit state listener failed", e);
            }
        }
    }

    /** Configures a {@link RedisBackend}. */
    public static final class Builder {
        private UnifiedJedis jedis;
        private String keyPrefix = "r8";
        private FailureMode failureMode = FailureMode.OPEN;
        private MemoryBackend local;
        private CircuitBreakerConfig circuitConfig = defaultCircuit();
        private BucketScript script = BucketScript.load();
        private boolean coalescing = true;

        private Builder() {}

        /**
         * The client: a {@code JedisPooled}, {@code JedisSentineled} or {@code JedisCluster} (see {@link RedisClients}
         * for ones with the small timeouts a limiter wants). A standalone or Sentinel client must not be built with
         * a retrying command executor; a Cluster client's retries are bypassed for decisions.
         *
         * @throws IllegalArgumentException for a Cluster client that is not a {@code JedisCluster} (a plain
         *     {@code UnifiedJedis} on a {@code ClusterConnectionProvider}), whose executor would resend a decision
         *     after a read timeout or not follow redirects
         */
        public Builder jedis(UnifiedJedis jedis) {
            requireNonNull(jedis, "jedis");
            if (!(jedis instanceof JedisCluster) && Transport.onClusterProvider(jedis)) {
                throw new IllegalArgumentException("jedis must be a JedisCluster for Redis Cluster but was a "
                        + jedis.getClass().getName() + " on a ClusterConnectionProvider, which would resend a"
                        + " decision after a read timeout; build it with RedisClients.cluster(seeds, timeout)");
            }
            this.jedis = jedis;
            return this;
        }

        /** The first segment of every key; {@code r8} by default. It must not contain braces. */
        public Builder keyPrefix(String keyPrefix) {
            RedisKeys.of(keyPrefix);
            this.keyPrefix = keyPrefix;
            return this;
        }

        /** What answers while Redis is unavailable; {@link FailureMode#OPEN} by default. */
        public Builder failureMode(FailureMode failureMode) {
            this.failureMode = requireNonNull(failureMode, "failureMode");
            return this;
        }

        /** The in-memory buckets of the {@code LOCAL} failure mode; a default {@link MemoryBackend} if not set. */
        public Builder localBackend(MemoryBackend local) {
            this.local = requireNonNull(local, "local");
            return this;
        }

        /**
         * The circuit breaker's configuration. By default it opens when half of the last 20 calls (at least 5) failed,
         * and lets 2 trial calls through after 500 ms.
         */
        public Builder circuitBreaker(CircuitBreakerConfig config) {
            this.circuitConfig = requireNonNull(config, "config");
            return this;
        }

        /**
         * Whether decisions that arrive while others are in flight go out together, in one pipeline (standalone and
         * Sentinel; a Cluster client always decides one by one, since a pipeline would span slots). On by default;
         * off, every decision is its own round trip.
         */
        public Builder coalescing(boolean coalescing) {
            this.coalescing = coalescing;
            return this;
        }

        Builder script(BucketScript script) {
            this.script = requireNonNull(script, "script");
            return this;
        }

        /** The backend. */
        public RedisBackend build() {
            return new RedisBackend(this);
        }

        private static CircuitBreakerConfig defaultCircuit() {
            return CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(20)
                    .minimumNumberOfCalls(5)
                    .failureRateThreshold(50)
                    .waitDurationInOpenState(Duration.ofMillis(500))
                    .permittedNumberOfCallsInHalfOpenState(2)
                    .build();
        }
    }
}
