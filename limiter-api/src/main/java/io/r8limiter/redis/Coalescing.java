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
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Sends decisions that arrive while others are in flight together, so that concurrent callers share pipelined round
 * trips to Redis instead of making one each.
 *
 * <p>At most {@code maxInFlight} batches are out at once. A synchronous caller that finds one of those places free
 * sends on its own thread: a lone caller goes out alone at once and pays nothing for a hand-over. Otherwise it queues
 * and waits, and whoever sends next takes it along, up to {@value #MAX_BATCH} decisions per batch in arrival order.
 * Asynchronous decisions are sent the same way by up to {@code maxInFlight} daemon threads. Whoever lets go of a place
 * with decisions still queued wakes the caller waiting on the first of them, which sends that batch itself, or a
 * sender thread when the first was submitted without a waiting caller, so none is left behind. The batch handler
 * must complete every future it is given before it returns.
 */
final class Coalescing implements AutoCloseable {

    /** Most decisions sent in one pipeline. */
    static final int MAX_BATCH = 64;

    /**
     * One decision waiting to be sent; {@code waiter} is the thread blocked on it in {@link #decide}, woken when its
     * batch returns, or {@code null} for a decision {@linkplain #submit submitted} without blocking. Made only here,
     * so that the thread named is always the one that waits.
     */
    record Pending(
            Policy policy,
            BucketKey key,
            long cost,
            String redisKey,
            CompletableFuture<Decision> future,
            @Nullable Thread waiter) {}

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

    /**
     * Decides on the calling thread when a place is free, otherwise in the next batch to go out; waits for it. A caller
     * that waits parks until its batch returns or until it is the first in the queue when a place comes free: then
     * it sends that batch itself, so the hand-over to the next batch costs no wake-up that the caller did not need
     * anyway.
     */
    Decision decide(Policy policy, BucketKey key, long cost, String redisKey) {
        Pending pending = new Pending(policy, key, cost, redisKey, new CompletableFuture<>(), Thread.currentThread());
        queue.add(pending);
        boolean sent = false;
        boolean interrupted = false;
        while (!pending.future().isDone()) {
            // an empty queue means this decision is in a batch out now, which wakes the caller when it returns
            if (!queue.isEmpty() && places.tryAcquire()) {
                try {
                    sendBatch();
                } finally {
                    places.release();
                }
                sent = true;
                continue;
            }
            // no place was free: whoever holds one hands the queue on when it lets go of it
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (sent) {
            handOn();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return pending.future().join();
    }

    /** Queues a decision for a sender thread; its future completes when the batch it joined returns. */
    CompletableFuture<Decision> submit(Policy policy, BucketKey key, long cost, String redisKey) {
        Pending pending = new Pending(policy, key, cost, redisKey, new CompletableFuture<>(), null);
        queue.add(pending);
        wakeSender();
        return pending.future();
    }

    /** The most decisions sent together so far. */
    int largestBatch() {
        return largestBatch.get();
    }

    @Override
    public void close() {
        senders.shutdown();
    }

    /** Wakes whoever should send the first decision still queued: the caller waiting on it, or a sender thread. */
    private void handOn() {
        Pending first = queue.peek();
        if (first == null) {
            return;
        }
        if (first.waiter() != null) {
            LockSupport.unpark(first.waiter());
        } else {
            wakeSender();
        }
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
        if (places.availablePermits() > 0) {
            handOn();
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
        for (Pending p : batch) {
            if (p.waiter() != null) {
                LockSupport.unpark(p.waiter());
            }
        }
    }
}
