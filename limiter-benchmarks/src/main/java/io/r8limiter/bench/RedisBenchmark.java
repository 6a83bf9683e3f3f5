package io.r8limiter.bench;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.FailureMode;
import io.r8limiter.RateLimiter;
import io.r8limiter.redis.RedisBackend;
import io.r8limiter.redis.RedisClients;
import io.r8limiter.stats.LocalStats;
import io.r8limiter.testkit.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.JedisPooled;

/**
 * One decision per call on one hot key, on a real {@code redis-server} (the embedded binary on a free port): the
 * r8limiter Redis backend (coalescing concurrent callers into pipelines, as it does by default, and one call per
 * decision), a raw Jedis EVALSHA of the minimal token-bucket script, the same script pipelined sixteen at a time
 * (reported per decision), and Bucket4j's Jedis proxy manager. Sample-time mode gives the mean (hence throughput:
 * threads / mean) and the p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisBenchmark {

    private static final BucketKey KEY = BucketKey.of("user", "42");
    private static final int PIPELINE = 16;
    private static final int ASYNC_IN_FLIGHT = 8;
    private static final String RAW_KEY = "raw:{user}:42";
    private static final String BUCKET_SCRIPT_KEY = "r8:3:{2d526f9b}:open:user:42";
    private static final byte[] BUCKET4J_KEY = "bucket4j:{user}:42".getBytes(StandardCharsets.UTF_8);

    private RedisServerProcess redis;
    private JedisPooled jedis;
    private RateLimiter r8limiter;
    private RateLimiter r8limiterUncoalesced;
    private RateLimiter r8limiterStats;
    private MinimalScript minimal;
    private io.github.bucket4j.distributed.BucketProxy bucket4j;
    private BucketScriptRaw bucketScript;

    @Setup
    public void setUp() {
        redis = RedisServerProcess.start();
        jedis = RedisClients.standalone(redis.hostAndPort(), Duration.ofSeconds(2));
        r8limiter = limiter(RateLimiter.builder(), true);
        r8limiterUncoalesced = limiter(RateLimiter.builder(), false);
        r8limiterStats = limiter(RateLimiter.builder().listener(LocalStats.ofDefaults()), true);
        minimal = new MinimalScript(jedis, Peers.OPEN_CAPACITY, (double) Peers.OPEN_CAPACITY / 1_000_000);
        ProxyManager<byte[]> manager = Bucket4jJedis.casBasedBuilder(jedis)
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
        bucketScript = new BucketScriptRaw(jedis, Peers.openPolicy("open"));
        bucket4j = manager.builder().build(BUCKET4J_KEY, Peers::bucket4jOpenConfiguration);
    }

    private RateLimiter limiter(RateLimiter.Builder builder, boolean coalescing) {
        RedisBackend backend = RedisBackend.builder()
                .jedis(jedis)
                .failureMode(FailureMode.CLOSED)
                .coalescing(coalescing)
                .build();
        return builder.backend(backend).policies(Peers.openPolicy("open")).build();
    }

    @TearDown
    public void tearDown() {
        jedis.close();
        redis.close();
    }

    @Benchmark
    public Decision r8limiter() {
        return checked(r8limiter.tryConsume("open", KEY));
    }

    @Benchmark
    public Decision r8limiterUncoalesced() {
        return checked(r8limiterUncoalesced.tryConsume("open", KEY));
    }

    @Benchmark
    public Decision r8limiterStats() {
        return checked(r8limiterStats.tryConsume("open", KEY));
    }

    /** r8limiter's own script, called the way {@link #raw} calls the minimal one: the server's share of the cost. */
    @Benchmark
    public boolean bucketScriptRaw() {
        return bucketScript.tryConsume(BUCKET_SCRIPT_KEY);
    }

    @Benchmark
    public boolean raw() {
        return minimal.tryConsume(RAW_KEY);
    }

    /**
     * Eight decisions in flight at once from one thread through the asynchronous API, as an event-loop server makes
     * them, reported per decision: the backend sends them in shared pipelines and no caller thread waits on each.
     */
    @Benchmark
    @OperationsPerInvocation(ASYNC_IN_FLIGHT)
    public int r8limiterAsync8() {
        CompletableFuture<?>[] inFlight = new CompletableFuture<?>[ASYNC_IN_FLIGHT];
        for (int i = 0; i < ASYNC_IN_FLIGHT; i++) {
            inFlight[i] = r8limiter.tryConsumeAsync("open", KEY, 1).toCompletableFuture();
        }
        CompletableFuture.allOf(inFlight).join();
        int allowed = 0;
        for (CompletableFuture<?> f : inFlight) {
            allowed += checked((Decision) f.join()).allowed() ? 1 : 0;
        }
        return allowed;
    }

    /** The pipelining reference: sixteen decisions per round trip, reported per decision. */
    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int rawPipelined16() {
        return minimal.tryConsumePipelined(RAW_KEY, PIPELINE);
    }

    @Benchmark
    public boolean bucket4j() {
        return bucket4j.tryConsume(1);
    }

    private static Decision checked(Decision decision) {
        if (decision.degraded()) {
            throw new IllegalStateException("redis did not answer; the figure would measure the failure mode");
        }
        return decision;
    }
}
