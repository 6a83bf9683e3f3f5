package io.r8limiter.bench;

import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.r8limiter.BoundBucket;
import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.FailureMode;
import io.r8limiter.RateLimiter;
import io.r8limiter.redis.RedisBackend;
import io.r8limiter.redis.RedisClients;
import io.r8limiter.testkit.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.JedisPooled;

/**
 * The Redis comparison in interleaved rounds: r8limiter, raw EVALSHA of the minimal script and Bucket4j take turns
 * on one Redis in one JVM, a short block each per round, so a slower minute of this shared machine slows every
 * variant alike. Separate JMH forks here drift by 10 to 20 % between forks, which is more than the differences
 * measured; the ratio of two variants is therefore taken within each round and the median of those is reported.
 *
 * <p>{@code -Dbench.rounds} (default 15) and {@code -Dbench.blockMillis} (default 300) set the length; every thread
 * count in {@code -Dbench.threads} (default {@code 1,2,8}) runs its own rounds after a warm-up of every variant;
 * {@code -Dbench.variants} keeps only the named variants, separated by semicolons (raw EVALSHA always runs).
 */
public final class RedisPaired {

    private static final BucketKey KEY = BucketKey.of("user", "42");
    /** The bound bucket's own key, as long as {@link #KEY}. */
    private static final BucketKey BOUND_KEY = BucketKey.of("user", "43");

    private static final String RAW_KEY = "raw:{user}:42";
    private static final String SCRIPT_KEY = "r8:3:{2d526f9b}:open:user:42";
    private static final byte[] BUCKET4J_KEY = "bucket4j:{user}:42".getBytes(StandardCharsets.UTF_8);

    private RedisPaired() {}

    /** Prints one line per figure. */
    public static void main(String[] args) {
        measure().forEach(System.out::println);
    }

    static List<String> measure() {
        int rounds = Integer.getInteger("bench.rounds", 15);
        long blockNanos =
                Duration.ofMillis(Long.getLong("bench.blockMillis", 300)).toNanos();
        int[] threadCounts = Arrays.stream(
                        System.getProperty("bench.threads", "1,2,8").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim()))
                .toArray();
        List<String> lines = new ArrayList<>();
        try (RedisServerProcess redis = RedisServerProcess.start();
                JedisPooled jedis = RedisClients.standalone(redis.hostAndPort(), Duration.ofSeconds(2))) {
            Map<String, BooleanSupplier> variants = variants(jedis);
            for (int threads : threadCounts) {
                lines.addAll(compare(variants, threads, rounds, blockNanos));
            }
        }
        return lines;
    }

    private static Map<String, BooleanSupplier> variants(JedisPooled jedis) {
        RateLimiter coalesced = limiter(jedis, true);
        RateLimiter uncoalesced = limiter(jedis, false);
        MinimalScript minimal = new MinimalScript(jedis, Peers.OPEN_CAPACITY, (double) Peers.OPEN_CAPACITY / 1_000_000);
        ProxyManager<byte[]> manager = Bucket4jJedis.casBasedBuilder(jedis)
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
        BucketProxy bucket4j = manager.builder().build(BUCKET4J_KEY, Peers::bucket4jOpenConfiguration);
        Map<String, BooleanSupplier> variants = new LinkedHashMap<>();
        variants.put("raw EVALSHA", () -> minimal.tryConsume(RAW_KEY));
        BucketScriptRaw script = new BucketScriptRaw(jedis, Peers.openPolicy("open"));
        variants.put("r8limiter's script through raw Jedis", () -> script.tryConsume(SCRIPT_KEY));
        variants.put("r8limiter", () -> answered(coalesced, KEY));
        variants.put("r8limiter, one call per decision", () -> answered(uncoalesced, KEY));
        BoundBucket bound = coalesced.bucket("open", BOUND_KEY);
        variants.put("r8limiter, bound bucket", () -> answered(bound.tryConsume()));
        variants.put("Bucket4j", () -> bucket4j.tryConsume(1));
        String only = System.getProperty("bench.variants");
        if (only != null) {
            List<String> kept = Arrays.stream(only.split(";")).map(String::trim).toList();
            variants.keySet().removeIf(name -> !name.equals("raw EVALSHA") && !kept.contains(name));
        }
        return variants;
    }

    private static RateLimiter limiter(JedisPooled jedis, boolean coalescing) {
        RedisBackend backend = RedisBackend.builder()
                .jedis(jedis)
                .failureMode(FailureMode.CLOSED)
                .coalescing(coalescing)
                .build();
        return RateLimiter.builder()
                .backend(backend)
                .policies(Peers.openPolicy("open"))
                .build();
    }

    private static boolean answered(RateLimiter limiter, BucketKey key) {
        return answered(limiter.tryConsume("open", key));
    }

    private static boolean answered(Decision decision) {
        if (decision.degraded()) {
            throw new IllegalStateException("redis did not answer; the figure would measure the failure mode");
        }
        return decision.allowed();
    }

    private static List<String> compare(
            Map<String, BooleanSupplier> variants, int threads, int rounds, long blockNanos) {
        for (BooleanSupplier variant : variants.values()) {
            block(variant, threads, Duration.ofSeconds(2).toNanos());
        }
        List<String> names = new ArrayList<>(variants.keySet());
        Map<String, double[]> rates = new LinkedHashMap<>();
        Map<String, Histogram> latencies = new LinkedHashMap<>();
        names.forEach(name -> {
            rates.put(name, new double[rounds]);
            latencies.put(name, new Histogram(3));
        });
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < names.size(); i++) {
                // each round starts with the next variant, so none always follows the same one
                String name = names.get((round + i) % names.size());
                Block result = block(variants.get(name), threads, blockNanos);
                rates.get(name)[round] = result.perSecond();
                latencies.get(name).add(result.latency());
            }
        }
        double[] raw = rates.get(names.get(0));
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            Histogram h = latencies.get(name);
            lines.add(String.format(
                    Locale.ROOT,
                    "%d thread(s), %s: %,.0f/s, p99 %,d µs, mean %.1f µs; %s",
                    threads,
                    name,
                    median(rates.get(name)),
                    h.getValueAtPercentile(99) / 1000,
                    h.getMean() / 1000,
                    name.equals(names.get(0))
                            ? "the reference"
                            : "x raw (median of the rounds) " + ratio(rates.get(name), raw)
                                    + ", p99 x raw "
                                    + String.format(
                                            Locale.ROOT,
                                            "%.2f",
                                            (double) h.getValueAtPercentile(99)
                                                    / latencies
                                                            .get(names.get(0))
                                                            .getValueAtPercentile(99))));
        }
        double[] r8 = rates.get("r8limiter");
        double[] bucket4j = rates.get("Bucket4j");
        if (r8 == null || bucket4j == null) {
            return lines;
        }
        lines.add(String.format(
                Locale.ROOT,
                "%d thread(s), r8limiter x Bucket4j (median of the rounds): %s",
                threads,
                ratio(r8, bucket4j)));
        return lines;
    }

    private static String ratio(double[] a, double[] b) {
        double[] ratios = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            ratios[i] = a[i] / b[i];
        }
        return String.format(Locale.ROOT, "%.2f", median(ratios));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Decisions per second over all threads, and each decision's latency in nanoseconds. */
    private record Block(double perSecond, Histogram latency) {}

    private static Block block(BooleanSupplier variant, int threads, long nanos) {
        Histogram[] perThread = new Histogram[threads];
        long[] counts = new long[threads];
        Thread[] workers = new Thread[threads];
        long start = System.nanoTime();
        long end = start + nanos;
        for (int t = 0; t < threads; t++) {
            int index = t;
            perThread[t] = new Histogram(3);
            workers[t] = new Thread(() -> {
                Histogram h = perThread[index];
                long n = 0;
                for (long now = System.nanoTime(); now < end; ) {
                    variant.getAsBoolean();
                    long after = System.nanoTime();
                    h.recordValue(after - now);
                    now = after;
                    n++;
                }
                counts[index] = n;
            });
            workers[t].start();
        }
        Histogram all = new Histogram(3);
        long total = 0;
        for (int t = 0; t < threads; t++) {
            try {
                workers[t].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring", e);
            }
            all.add(perThread[t]);
            total += counts[t];
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Block(total / seconds, all);
    }
}
