package io.r8limiter.redis;

import static java.util.Objects.requireNonNull;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Policy;
import io.r8limiter.stats.Offender;
import io.r8limiter.stats.RateLimitStats;
import io.r8limiter.stats.Totals;
import io.r8limiter.stats.internal.SpaceSaving;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Counts go into one-minute slices, where {@code <minute>} counts minutes since the Unix epoch:
 * {@code <prefix>:1:{stats}:tot:<minute>}, a hash of {@code policy|outcome} fields (outcome {@code allowed},
 * {@code denied} or {@code degraded}); {@code <prefix>:1:{stats}:off:<minute>}, a sorted set of denials per offender
 * holding at most {@code capacity} members (1,000 by default); and {@code <prefix>:1:{stats}:err:<minute>}, a hash of
 * those members' errors. Each instance counts locally and a background daemon thread flushes the counts every
 * {@code flushInterval} (500 ms by default), in one script call per slice and per thousand offenders that also sets
 * the slice's expiry: slices live for the window plus one to two minutes, then Redis drops them. A denial thus costs
 * at most one write (one sorted-set update inside a batch), and usually less, since a key denied repeatedly within a
 * flush interval is written once. Every key shares the hash tag {@code {stats}}, so the multi-key scripts also run
 * on Redis Cluster.
 *
 * <p>Totals are exact: each counted decision is written once, and a call that fails (Redis down) is kept and retried
 * by the next flush while its slice is still in the window. The one exception is a call that Redis applied but whose
 * reply was lost (a client timeout): it is retried and counted twice. Reads include this instance's own counts by
 * flushing first, and see other instances' counts once they have flushed. Recording never calls Redis and never
 * throws; reads throw the Jedis exception when Redis cannot answer. The slice length is fixed so that all instances
 * share one layout; instances may read with different windows.
 *
 * <p>Offender counts come from two Space-Saving summaries in a row: the instance's own between two flushes (at most
 * {@code maxPendingOffenders} members, 100,000 by default) and each slice's in Redis (at most {@code capacity}
 * members, fed by every instance). A member not yet listed in a full slice takes over the least denied one,
 * inheriting its count as error. So an offender's count never falls below the truth and exceeds it by at most
 * {@link Offender#error()}; it is exact ({@link Offender#exact()}) while no slice of the window saw more distinct
 * offenders than {@code capacity} and no instance more than {@code maxPendingOffenders} between two flushes. Past
 * that, the error is at most the window's denials divided by {@code capacity}, plus twice the window's denials divided
 * by {@code maxPendingOffenders} when an instance's own summary overflowed, and any offender denied more often than
 * that is listed. A flush that keeps failing keeps at most {@code maxPendingOffenders} offenders per slice for retry;
 * the largest count it lets go is added to every error of that slice.
 *
 * <p>Memory is bounded whatever the number of distinct keys: on Redis, {@code capacity} members per slice, for the
 * window; in the instance, {@code maxPendingOffenders} per slice waiting for a flush (a flush starts early once half
 * are taken). A read of the offenders makes one short script call per slice of the window, each returning at most
 * {@code capacity} members, so no single call holds Redis for long. Close the stats with the application (a
 * {@code RateLimiter} does not close its listeners); the Jedis client belongs to the caller and is not closed here.
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

    /** The default number of offenders each slice keeps in Redis. */
    public static final int DEFAULT_CAPACITY = 1_000;

    /** The largest capacity accepted: a read returns up to this many members per slice of the window. */
    public static final int MAX_CAPACITY = 10_000;

    /** Most offenders written by one script call, so that no call holds Redis for long. */
    static final int MAX_OFFENDERS_PER_CALL = 1_000;

    private static final System.Logger LOG = System.getLogger(RedisStats.class.getName());
    private static final StoredScript FLUSH = StoredScript.load("stats-flush.lua");
    private static final StoredScript TOTALS = StoredScript.load("stats-totals.lua");
    private static final StoredScript SLICE_OFFENDERS = StoredScript.load("stats-slice.lua");

    private final UnifiedJedis jedis;
    private final String keys;
    private final Duration window;
    private final int slices;
    private final int capacity;
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
        this.capacity = b.capacity;
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
        List<String> reply = OffenderSummary.strings(TOTALS.run(jedis, sliceKeys, List.of()));
        return Totals.of(window, StatsBatch.sumFields(reply));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Counts are exact while the slices kept every offender; otherwise each may exceed the truth by its
     * {@link Offender#error()}, bounded as the class documentation states.
     */
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
        List<SpaceSaving.Snapshot<String>> summaries = new ArrayList<>(slices + 1);
        for (long s = now - slices; s <= now; s++) {
            Object reply = SLICE_OFFENDERS.run(jedis, List.of(offendersKey(s), errorsKey(s)), List.of());
            summaries.add(OffenderSummary.parse(reply));
        }
        return OffenderSummary.top(summaries, limit);
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
            List<StatsBatch> batches = new ArrayList<>();
            for (StatsBatch batch : buffer.drain(now)) {
                batches.addAll(batch.split(MAX_OFFENDERS_PER_CALL));
            }
            for (int i = 0; i < batches.size(); i++) {
                try {
                    write(batches.get(i));
                } catch (RuntimeException e) {
                    buffer.keepForRetry(batches.subList(i, batches.size()), now - slices);
                    throw e;
                }
            }
        }
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

    private void write(StatsBatch batch) {
        long expireAt = (batch.slice + slices + 2) * SLICE.toMillis();
        List<String> sliceKeys = List.of(totalsKey(batch.slice), offendersKey(batch.slice), errorsKey(batch.slice));
        FLUSH.run(jedis, sliceKeys, batch.scriptArgs(expireAt, capacity));
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

    private long sliceNow() {
        return Math.floorDiv(clock.millis(), SLICE.toMillis());
    }

    String totalsKey(long slice) {
        return keys + "tot:" + slice;
    }

    String offendersKey(long slice) {
        return keys + "off:" + slice;
    }

    String errorsKey(long slice) {
        return keys + "err:" + slice;
    }

    /** Configures {@link RedisStats}. */
    public static final class Builder {
        private final UnifiedJedis jedis;
        private String keyPrefix = "r8";
        private Duration window = DEFAULT_WINDOW;
        private Duration flushInterval = DEFAULT_FLUSH_INTERVAL;
        private int maxPendingOffenders = DEFAULT_MAX_PENDING_OFFENDERS;
        private int capacity = DEFAULT_CAPACITY;
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

        /**
         * How many offenders each slice keeps in Redis; 1,000 by default, at most {@value RedisStats#MAX_CAPACITY}.
         * Counts are exact while a slice sees no more distinct offenders; past that they may overcount by the
         * window's denials divided by the capacity at most.
         */
        public Builder capacity(int capacity) {
            if (capacity < 1 || capacity > MAX_CAPACITY) {
                throw new IllegalArgumentException(
                        "capacity must be between 1 and " + MAX_CAPACITY + " but was " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /**
         * Most distinct offenders of a slice counted exactly between two flushes; 100,000 by default. Past that the
         * instance's own summary takes over the counters of the least denied ones rather than dropping denials.
         */
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
