package io.r8limiter.redis;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Gathers asynchronous decisions that arrive while a batch is in flight and hands them over together, so that
 * concurrent callers share one pipelined round trip to Redis instead of one each.
 *
 * <p>One daemon thread drains the queue: a request that arrives while the thread is idle goes out alone at once;
 * those that arrive meanwhile wait for the current batch to return and then go out together, up to
 * {@value #MAX_BATCH} at a time. The batch handler must complete every future it is given.
 */
final class AsyncCoalescing implements AutoCloseable {

    /** Most decisions sent in one pipeline. */
    static final int MAX_BATCH = 64;

    /** One decision waiting to be sent. */
    record Pending(Policy policy, BucketKey key, long cost, String redisKey, CompletableFuture<Decision> future) {}

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger largestBatch = new AtomicInteger();
    private final Consumer<List<Pending>> handler;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "r8limiter-redis-batch");
        t.setDaemon(true);
        return t;
    });

    AsyncCoalescing(Consumer<List<Pending>> handler) {
        this.handler = handler;
    }

    /** Queues a decision; its future completes when the batch it joined returns. */
    void submit(Pending pending) {
        queue.add(pending);
        if (draining.compareAndSet(false, true)) {
            thread.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            for (Pending p; batch.size() < MAX_BATCH && (p = queue.poll()) != null; ) {
                batch.add(p);
            }
            if (batch.isEmpty()) {
                draining.set(false);
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            largestBatch.accumulateAndGet(batch.size(), Math::max);
            handle(batch);
        }
    }

    /** The most decisions handed over together so far. */
    int largestBatch() {
        return largestBatch.get();
    }

    private void handle(List<Pending> batch) {
        try {
            handler.accept(batch);
        } catch (RuntimeException e) {
            batch.forEach(p -> p.future().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
