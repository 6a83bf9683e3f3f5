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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Sends decisions that arrive while others are in flight together, so that concurrent callers share pipelined round
 * trips to Redis instead of making one each.
 *
 * <p>At most {@code maxInFlight} batches are out at once. A synchronous caller that finds one of those places free
 * sends on its own thread: a lone caller goes out alone at once and pays nothing for a hand-over. Otherwise it queues
 * and waits, and whoever sends next takes it along, up to {@value #MAX_BATCH} decisions per batch in arrival order.
 * Asynchronous decisions are sent the same way by up to {@code maxInFlight} daemon threads. Whoever finishes a batch
 * and finds decisions still queued sends them or wakes a sender thread, so none is left behind. The batch handler
 * must complete every future it is given.
 */
final class Coalescing implements AutoCloseable {

    /** Most decisions sent in one pipeline. */
    static final int MAX_BATCH = 64;

    /** One decision waiting to be sent. */
    record Pending(Policy policy, BucketKey key, long cost, String redisKey, CompletableFuture<Decision> future) {}

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore places;
    private final int maxInFlight;
    private final AtomicInteger senderThreads = new AtomicInteger();
    private final AtomicInteger largestBatch = new AtomicInteger();
    private final Consumer<List<Pending>> handler;
    private final ExecutorService senders = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "r8limiter-redis-batch");
        t.setDaemon(true);
        return t;
    });

    Coalescing(int maxInFlight, Consumer<List<Pending>> handler) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive but was " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.places = new Semaphore(maxInFlight);
        this.handler = handler;
    }

    /** Decides on the calling thread when a place is free, otherwise in the next batch to go out; waits for it. */
    Decision decide(Pending pending) {
        queue.add(pending);
        while (!pending.future().isDone() && places.tryAcquire()) {
            try {
                sendBatch();
            } finally {
                places.release();
            }
        }
        // a place this caller released may be the one a queued decision was waiting for
        if (!queue.isEmpty()) {
            wakeSender();
        }
        return pending.future().join();
    }

    /** Queues a decision for a sender thread; its future completes when the batch it joined returns. */
    void submit(Pending pending) {
        queue.add(pending);
        wakeSender();
    }

    /** The most decisions sent together so far. */
    int largestBatch() {
        return largestBatch.get();
    }

    @Override
    public void close() {
        senders.shutdown();
    }

    private void wakeSender() {
        for (int n = senderThreads.get(); n < maxInFlight; n = senderThreads.get()) {
            if (senderThreads.compareAndSet(n, n + 1)) {
                try {
                    senders.execute(this::sendWhilePlacesAreFree);
                } catch (RejectedExecutionException closed) {
                    // closed: the caller sends what is queued itself rather than leave it waiting for good
                    sendWhilePlacesAreFree();
                }
                return;
            }
        }
    }

    private void sendWhilePlacesAreFree() {
        try {
            while (!queue.isEmpty() && places.tryAcquire()) {
                try {
                    sendBatch();
                } finally {
                    places.release();
                }
            }
        } finally {
            senderThreads.decrementAndGet();
        }
        // a decision queued after the last look, while every sender thread was still counted, is still waiting
        if (!queue.isEmpty() && places.availablePermits() > 0) {
            wakeSender();
        }
    }

    private void sendBatch() {
        List<Pending> batch = new ArrayList<>();
        for (Pending p; batch.size() < MAX_BATCH && (p = queue.poll()) != null; ) {
            batch.add(p);
        }
        if (batch.isEmpty()) {
            return;
        }
        largestBatch.accumulateAndGet(batch.size(), Math::max);
        try {
            handler.accept(batch);
        } catch (RuntimeException e) {
            batch.forEach(p -> p.future().completeExceptionally(e));
        }
    }
}
