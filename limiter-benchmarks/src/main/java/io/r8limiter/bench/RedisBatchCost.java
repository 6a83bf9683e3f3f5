package io.r8limiter.bench;

import io.r8limiter.redis.RedisClients;
import io.r8limiter.testkit.RedisServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;
import redis.clients.jedis.JedisPooled;

/**
 * What one decision costs the Redis server when decisions come in pipelines of 1 to 64: {@value #THREADS} threads,
 * enough to keep the server busy, send pipelines of one size for a while, and the server's CPU time over that
 * while, read from {@code /proc}, is divided by the decisions it answered. Coalescing can gain no more than the cost
 * of a lone decision over that of one in a batch of the size its callers fill, once the server is the busiest part.
 */
final class RedisBatchCost {

    private static final int[] BATCHES = {1, 2, 4, 8, 16, 64};
    private static final int THREADS = 8;
    private static final long WARM_UP_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long MEASURED_NANOS = Duration.ofSeconds(3).toNanos();
    private static final String MINIMAL_KEY = "raw:{user}:42";
    private static final String SCRIPT_KEY = "r8:3:{2d526f9b}:open:user:42";
    /** Clock ticks per second of the times in {@code /proc/<pid>/stat}: 100 on the Linux kernels this runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private RedisBatchCost() {}

    static List<String> measure() throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        try (RedisServerProcess redis = RedisServerProcess.start();
                JedisPooled jedis = RedisClients.standalone(redis.hostAndPort(), Duration.ofSeconds(2))) {
            MinimalScript minimal =
                    new MinimalScript(jedis, Peers.OPEN_CAPACITY, (double) Peers.OPEN_CAPACITY / 1_000_000);
            BucketScriptRaw script = new BucketScriptRaw(jedis, Peers.openPolicy("open"));
            for (int batch : BATCHES) {
                lines.add(line(redis.pid(), "minimal script", batch, n -> minimal.tryConsumePipelined(MINIMAL_KEY, n)));
                lines.add(line(
                        redis.pid(), "r8limiter's bucket.lua", batch, n -> script.tryConsumePipelined(SCRIPT_KEY, n)));
            }
        }
        return lines;
    }

    private static String line(long pid, String name, int batch, IntUnaryOperator send)
            throws IOException, InterruptedException {
        run(send, batch, WARM_UP_NANOS);
        long cpuBefore = cpuTicks(pid);
        long start = System.nanoTime();
        long decisions = run(send, batch, MEASURED_NANOS);
        double seconds = (System.nanoTime() - start) / 1e9;
        double serverMicros = (cpuTicks(pid) - cpuBefore) * (1e6 / TICKS_PER_SECOND) / decisions;
        return String.format(
                Locale.ROOT,
                "%s, pipelines of %d: %,.0f decisions/s from %d threads; the server spends %.1f µs per decision",
                name,
                batch,
                decisions / seconds,
                THREADS,
                serverMicros);
    }

    /** Decisions answered by {@link #THREADS} threads sending pipelines of {@code batch} for {@code nanos}. */
    private static long run(IntUnaryOperator send, int batch, long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        AtomicLong decisions = new AtomicLong();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread[] senders = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            senders[t] = new Thread(() -> {
                long sent = 0;
                try {
                    while (System.nanoTime() < end) {
                        if (send.applyAsInt(batch) != batch) {
                            throw new IllegalStateException("a decision was refused; the buckets never run dry");
                        }
                        sent += batch;
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
                decisions.addAndGet(sent);
            });
            senders[t].start();
        }
        for (Thread sender : senders) {
            sender.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return decisions.get();
    }

    /** User plus system time of process {@code pid} so far, in clock ticks. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name in parentheses may hold spaces; the fields after it are fixed
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
