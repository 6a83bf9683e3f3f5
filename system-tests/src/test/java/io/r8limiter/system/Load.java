package io.r8limiter.system;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

        long startedNanos() {
            return completedNanos - latencyNanos;
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

    /** A {@link #burst(List, int, LongFunction, Runnable) burst} with nothing to do before its release. */
    static List<Sample> burst(List<AppProcess> apps, int perApp, LongFunction<String> target) {
        return burst(apps, perApp, target, () -> {});
    }

    /**
     * Sends {@code perApp} requests to each app at once (one thread each, all waiting at one gate, which opens right
     * after {@code beforeRelease} has run) and returns their samples once all have answered or failed; sequence
     * numbers start at 0 for each app.
     */
    static List<Sample> burst(List<AppProcess> apps, int perApp, LongFunction<String> target, Runnable beforeRelease) {
        ExecutorService pool = Executors.newFixedThreadPool(apps.size() * perApp);
        CountDownLatch ready = new CountDownLatch(apps.size() * perApp);
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<Sample>> answers = new ArrayList<>();
        for (AppProcess app : apps) {
            Http http = Http.client();
            for (int i = 0; i < perApp; i++) {
                long n = i;
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    gate.await();
                    return once(http, app, target.apply(n));
                }));
            }
        }
        await(ready);
        beforeRelease.run();
        gate.countDown();
        List<Sample> samples = new ArrayList<>();
        try {
            for (Future<Sample> answer : answers) {
                samples.add(answer.get());
            }
        } catch (Exception e) {
            throw new IllegalStateException("burst failed", e);
        } finally {
            pool.shutdown();
        }
        return samples;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void run(AppProcess app, LongFunction<String> target) {
        Http http = Http.client();
        while (running.get()) {
            samples.add(once(http, app, target.apply(sequence.getAndIncrement())));
        }
    }

    private static Sample once(Http http, AppProcess app, String target) {
        long start = System.nanoTime();
        try {
            return sample(app, start, http.post(app.uri(target)));
        } catch (RuntimeException e) {
            long now = System.nanoTime();
            return new Sample(app, now, now - start, -1, false, false, -1, e.toString());
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
