package io.r8limiter.system;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import tools.jackson.databind.JsonNode;

/**
 * Background traffic: a few threads, each sending {@code POST /allow} to one app in a loop, recording every answer
 * (or the failure to get one) with its latency and the moment it completed.
 */
final class Load implements AutoCloseable {

    /** One decision as the client saw it; status -1 when no answer came; the body only of a non-200 answer. */
    record Sample(
            AppProcess app,
            long completedNanos,
            long latencyNanos,
            int status,
            boolean allowed,
            boolean degraded,
            long remaining,
            String body) {

        long latencyMillis() {
            return latencyNanos / 1_000_000;
        }
    }

    private final ExecutorService pool;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();

    private Load(int threads) {
        this.pool = Executors.newFixedThreadPool(threads);
    }

    /** Starts {@code threadsPerApp} threads per app; {@code target} maps a sequence number to a path and query. */
    static Load start(List<AppProcess> apps, int threadsPerApp, LongFunction<String> target) {
        Load load = new Load(apps.size() * threadsPerApp);
        for (AppProcess app : apps) {
            for (int t = 0; t < threadsPerApp; t++) {
                load.pool.execute(() -> load.run(app, target));
            }
        }
        return load;
    }

    private void run(AppProcess app, LongFunction<String> target) {
        Http http = Http.client();
        while (running.get()) {
            long start = System.nanoTime();
            try {
                Http.Reply reply = http.post(app.uri(target.apply(sequence.getAndIncrement())));
                samples.add(sample(app, start, reply));
            } catch (RuntimeException e) {
                long now = System.nanoTime();
                samples.add(new Sample(app, now, now - start, -1, false, false, -1, e.toString()));
            }
        }
    }

    private static Sample sample(AppProcess app, long start, Http.Reply reply) {
        long now = System.nanoTime();
        if (reply.status() != 200) {
            return new Sample(app, now, now - start, reply.status(), false, false, -1, reply.body());
        }
        JsonNode json = reply.json();
        return new Sample(
                app,
                now,
                now - start,
                200,
                json.path("allowed").asBoolean(),
                json.path("degraded").asBoolean(false),
                json.path("remaining").asLong(),
                "");
    }

    /** Every sample so far. */
    List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    /** Samples that completed within [{@code fromNanos}, {@code toNanos}). */
    List<Sample> between(long fromNanos, long toNanos) {
        return samples.stream()
                .filter(s -> s.completedNanos() >= fromNanos && s.completedNanos() < toNanos)
                .toList();
    }

    /** Stops the threads and waits for the requests in flight. */
    @Override
    public void close() {
        running.set(false);
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
