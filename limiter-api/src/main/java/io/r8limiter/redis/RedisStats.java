package io.r8limiter.redis;

import static java.util.Objects.requireNonNull;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Policy;
import io.r8limiter.stats.Offender;
import io.r8limiter.stats.RateLimitStats;
import io.r8limiter.stats.Totals;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@link RateLimitStats} for a whole fleet: every instance writes its counts to Redis, and any instance reads the
 * fleet's totals and top offenders.
 *
 * <p>Counts go into one-minute slices: {@code <prefix>:1:{stats}:tot:<minute>}, a hash of {@code policy|outcome}
 * fields (outcome {@code allowed}, {@code denied} or {@code degraded}), and {@code <prefix>:1:{stats}:off:<minute>},
 * a sorted set of denials per offender, where {@code <minute>} counts minutes since the Unix epoch. Each instance
 * counts locally and a background daemon thread flushes the counts every {@code flushInterval} (500 ms by default),
 * in one script call per slice and per thousand offenders that also sets the slice's expiry: slices live for the
 * window plus one to two minutes, then Redis drops them, so nothing grows without bound. A denial thus costs at most
 * one write (one {@code ZINCRBY} inside a batch), and usually less, since a key denied repeatedly within a flush
 * interval is written once. Every key shares the hash tag {@code {stats}}, so the multi-key scripts also run on
 * Redis Cluster.
 *
 * <p>Offender counts and totals are exact: each counted decision is written once, and a call that fails (Redis down)
 * is kept and retried by the next flush while its slice is still in the window. The one exception is a call that
 * Redis applied but whose reply was lost (a client timeout): it is retried and counted twice. Reads include this
 * instance's own counts by flushing first, and see other instances' counts once they have flushed. Recording never
 * calls Redis and never throws; reads throw the Jedis exception when Redis cannot answer. The slice length is fixed
 * so that all instances share one layout; instances may read with different windows.
 *
 * <p>Memory on Redis is one sorted-set member per distinct offender per minute, for the window. Memory in the
 * instance is bounded by {@code maxPendingOffenders} distinct offenders between flushes (100,000 by default); past
 * that a flush starts early, and denials of further new offenders are left out of the offender counts (never out of
 * the totals) until it completes. Among offenders tied at the cut of {@link #topOffenders}, Redis picks which are
 * listed. Close the stats with the application (a {@code RateLimiter} does not close its listeners); the Jedis
 * client belongs to the caller and is not closed here.
 *
 * @since 0.1
 */
public final class RedisStats implements RateLimitStats {

    /** The length of a slice. */
    public static final Duration SLICE = Duration.ofMinutes(1);

    /** The default interval between flushes. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(500);

    /** The default bound on distinct offenders waiting for a flush. */
    public static final int DEFAULT_MAX_PENDING_OFFENDERS = 100_000;

    /** Most offenders written by one script call, so that no call holds Redis for long. */
    static final int MAX_OFFENDERS_PER_CALL = 1_000;

    private static final System.Logger LOG = System.getLogger(RedisStats.class.getName());
    private static final StoredScript FLUSH = StoredScript.load("stats-flush.lua");
    private static final StoredScript TOTALS = StoredScript.load("stats-totals.lua");
    private static final StoredScript TOP = StoredScript.load("stats-top.lua");

    private final UnifiedJedis jedis;
    private final String keys;
    private final Duration window;
    private final int slices;
    private final Clock clock;
    private final StatsBuffer buffer;
    private final ScheduledExecutorService flusher;
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final Object flushLock = new Object();
    private volatile boolean failing;

    private RedisStats(Builder b) {
        this.jedis = b.jedis;
        this.keys = SharedKeys.stats(b.keyPrefix);
        this.window = b.window;
        this.slices = (int) ((b.window.toMillis() + SLICE.toMillis() - 1) / SLICE.toMillis());
        this.clock = b.clock;
        this.buffer = new StatsBuffer(b.maxPendingOffenders);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "r8limiter-stats-flush");
            t.setDaemon(true);
            return t;
        });
        long interval = b.flushInterval.toMillis();
        flusher.scheduleWithFixedDelay(this::flushQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Starts a configuration writing through {@code jedis} (a {@code JedisPooled}, {@code JedisCluster}...). */
    public static Builder builder(UnifiedJedis jedis) {
        return new Builder(requireNonNull(jedis, "jedis"));
    }

    @Override
    public void onDecision(Policy policy, BucketKey key, Decision decision, long backendNanos) {
        if (buffer.record(sliceNow(), policy.name(), key, decision) && flushQueued.compareAndSet(false, true)) {
            try {
                flusher.execute(() -> {
                    flushQueued.set(false);
                    flushQuietly();
                });
            } catch (RejectedExecutionException e) {
                flushQueued.set(false); // closed: counts wait for an explicit flush
            }
        }
    }

    @Override
    public Duration window() {
        return window;
    }

    @Override
    public Totals totals() {
        flushQuietly();
        long now = sliceNow();
        List<String> sliceKeys = new ArrayList<>(slices + 1);
        for (long s = now - slices; s <= now; s++) {
            sliceKeys.add(totalsKey(s));
        }
        List<String> reply = strings(TOTALS.run(jedis, sliceKeys, List.of()));
        return Totals.of(window, StatsBuffer.Batch.sumFields(reply));
    }

    @Override
    public List<Offender> topOffenders(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative but was " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        flushQuietly();
        long now = sliceNow();
        List<String> scriptKeys = new ArrayList<>(slices + 2);
        scriptKeys.add(keys + "tmp:" + UUID.randomUUID());
        for (long s = now - slices; s <= now; s++) {
            scriptKeys.add(offendersKey(s));
        }
        List<String> reply = strings(TOP.run(jedis, scriptKeys, List.of(Integer.toString(limit))));
        List<Offender> top = new ArrayList<>(reply.size() / 2);
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            OffenderMembers.Parsed id = OffenderMembers.parse(reply.get(i));
            top.add(new Offender(id.policy(), id.key(), (long) Double.parseDouble(reply.get(i + 1)), 0));
        }
        top.sort(Offender.ORDER);
        return List.copyOf(top);
    }

    /**
     * Writes what this instance counted since the last flush; the background thread calls it every flush interval.
     *
     * @throws redis.clients.jedis.exceptions.JedisException when Redis cannot take the counts, which are then kept
     *     for the next flush
     */
    public void flush() {
        synchronized (flushLock) {
            long now = sliceNow();
            List<StatsBuffer.Batch> batches = new ArrayList<>();
            for (StatsBuffer.Batch batch : buffer.drain(now)) {
                batches.addAll(batch.split(MAX_OFFENDERS_PER_CALL));
            }
            for (int i = 0; i < batches.size(); i++) {
                try {
                    write(batches.get(i));
                } catch (RuntimeException e) {
                    for (StatsBuffer.Batch unwritten : batches.subList(i, batches.size())) {
                        if (unwritten.slice >= now - slices) {
                            buffer.restore(unwritten);
                        }
                    }
                    throw e;
                }
            }
        }
    }

    /** Denials left out of the offender counts because too many distinct offenders waited for a flush. */
    public long droppedOffenderDenials() {
        return buffer.dropped();
    }

    /** Stops the background flushes after a last one; leaves the Jedis client open. */
    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushQuietly();
    }

    private void write(StatsBuffer.Batch batch) {
        long expireAt = (batch.slice + slices + 2) * SLICE.toMillis();
        FLUSH.run(jedis, List.of(totalsKey(batch.slice), offendersKey(batch.slice)), batch.scriptArgs(expireAt));
    }

    private void flushQuietly() {
        try {
            flush();
            if (failing) {
                failing = false;
                LOG.log(Level.INFO, "stats flushes to Redis work again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, "stats flush to Redis failed; counts are kept and retried: " + e);
            } else {
                LOG.log(Level.DEBUG, "stats flush to Redis failed again", e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object reply) {
        List<Object> items = (List<Object>) reply;
        List<String> out = new ArrayList<>(items.size());
        for (Object item : items) {
            out.add(item instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(item));
        }
        return out;
    }

    private long sliceNow() {
        return Math.floorDiv(clock.millis(), SLICE.toMillis());
    }

    String totalsKey(long slice) {
        return keys + "tot:" + slice;
    }

    String offendersKey(long slice) {
        return keys + "off:" + slice;
    }

    /** Configures {@link RedisStats}. */
    public static final class Builder {
        private final UnifiedJedis jedis;
        private String keyPrefix = "r8";
        private Duration window = DEFAULT_WINDOW;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private int maxPendingOffenders = DEFAULT_MAX_PENDING_OFFENDERS;
        private Clock clock = Clock.systemUTC();

        private Builder(UnifiedJedis jedis) {
            this.jedis = jedis;
        }

        /** The prefix of every key; {@code r8} by default. Must not hold braces. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = SharedKeys.checkPrefix(keyPrefix);
            return this;
        }

        /** How far back reads reach and how long slices live; 15 minutes by default, at most one day. */
        public Builder window(Duration window) {
            requireNonNull(window, "window");
            if (window.compareTo(SLICE) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("window must be between 1m and 1d but was " + window);
            }
            this.window = window;
            return this;
        }

        /** How often counts are written; 500 ms by default, at most one second. */
        public Builder flushInterval(Duration flushInterval) {
            requireNonNull(flushInterval, "flushInterval");
            if (flushInterval.toMillis() < 1 || flushInterval.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("flushInterval must be between 1ms and 1s but was " + flushInterval);
            }
            this.flushInterval = flushInterval;
            return this;
        }

        /** Most distinct offenders that wait for a flush; 100,000 by default. */
        public Builder maxPendingOffenders(int maxPendingOffenders) {
            if (maxPendingOffenders < 1) {
                throw new IllegalArgumentException(
                        "maxPendingOffenders must be positive but was " + maxPendingOffenders);
            }
            this.maxPendingOffenders = maxPendingOffenders;
            return this;
        }

        /** The wall clock that names slices; all instances should agree on it within seconds. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** The stats, flushing in the background from now on. */
        public RedisStats build() {
            return new RedisStats(this);
        }
    }
}
