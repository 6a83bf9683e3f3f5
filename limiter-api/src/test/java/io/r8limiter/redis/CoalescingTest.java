package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hand-over of decisions into batches, without Redis: who sends, how many at once, and that none is lost. */
class CoalescingTest {

    private static final Policy POLICY = Policy.of("p", Limit.perPeriod(10, Duration.ofMinutes(1)));

    private final ExecutorService callers = Executors.newFixedThreadPool(16);

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /** A handler that takes {@code micros} per batch, as a round trip would, and counts what it sees. */
    private static final class SlowRedis implements Consumer<List<Coalescing.Pending>> {
        final long micros;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        final ConcurrentHashMap<Coalescing.Pending, Integer> seen = new ConcurrentHashMap<>();
        final List<Thread> senders = new ArrayList<>();

        SlowRedis(long micros) {
            this.micros = micros;
        }

        @Override
        public void accept(List<Coalescing.Pending> batch) {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            synchronized (senders) {
                senders.add(Thread.currentThread());
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
            inFlight.decrementAndGet();
            for (Coalescing.Pending p : batch) {
                seen.merge(p, 1, Integer::sum);
                p.future().complete(Decision.degraded(POLICY, true));
            }
        }
    }

    private static Decision decide(Coalescing coalescing, int i) {
        return coalescing.decide(POLICY, BucketKey.of("u" + i), 1, "k" + i);
    }

    private static CompletableFuture<Decision> submit(Coalescing coalescing, int i) {
        return coalescing.submit(POLICY, BucketKey.of("u" + i), 1, "k" + i);
    }

    @Test
    void aLoneCaller_sendsOnItsOwnThread_alone() {
        SlowRedis redis = new SlowRedis(0);
        Coalescing coalescing = new Coalescing(2, redis);

        for (int i = 0; i < 10; i++) {
            assertThat(decide(coalescing, i).allowed()).isTrue();
        }

        assertThat(redis.senders).containsOnly(Thread.currentThread());
        assertThat(coalescing.largestBatch()).isEqualTo(1);
    }

    @Test
    void concurrentCallers_shareBatches_neverMoreInFlightThanAllowed_andEachDecisionGoesOnce() throws Exception {
        SlowRedis redis = new SlowRedis(500);
        Coalescing coalescing = new Coalescing(2, redis);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();

        for (int t = 0; t < 16; t++) {
            done.add(callers.submit(() -> {
                start.await();
                for (int i = 0; i < 50; i++) {
                    decide(coalescing, next.getAndIncrement());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }

        assertThat(redis.seen).hasSize(800).allSatisfy((p, times) -> assertThat(times)
                .isEqualTo(1));
        assertThat(redis.mostInFlight.get()).isLessThanOrEqualTo(2);
        assertThat(coalescing.largestBatch()).isGreaterThan(1).isLessThanOrEqualTo(Coalescing.MAX_BATCH);
    }

    // A returning batch used to wake a daemon sender thread for what had queued meanwhile, one hand-over more per
    // batch than the callers' own wake-ups; now the first waiting caller is woken and sends the batch itself.
    @Test
    void synchronousCallers_sendEveryBatchOnTheirOwnThreads() throws Exception {
        SlowRedis redis = new SlowRedis(300);
        Coalescing coalescing = new Coalescing(2, redis);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        List<Thread> callerThreads = new ArrayList<>();

        for (int t = 0; t < 12; t++) {
            done.add(callers.submit(() -> {
                synchronized (callerThreads) {
                    callerThreads.add(Thread.currentThread());
                }
                start.await();
                for (int i = 0; i < 40; i++) {
                    decide(coalescing, next.getAndIncrement());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }

        assertThat(redis.seen).hasSize(12 * 40);
        assertThat(coalescing.largestBatch()).isGreaterThan(1);
        assertThat(redis.senders).isSubsetOf(callerThreads);
    }

    @Test
    void mixedSynchronousAndAsynchronousCallers_loseNothing() throws Exception {
        SlowRedis redis = new SlowRedis(50);
        Coalescing coalescing = new Coalescing(3, redis);
        List<Future<List<CompletableFuture<Decision>>>> done = new ArrayList<>();

        for (int t = 0; t < 16; t++) {
            long seed = 42 + t;
            done.add(callers.submit(() -> {
                Random random = new Random(seed);
                List<CompletableFuture<Decision>> futures = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    int id = random.nextInt();
                    futures.add(
                            random.nextBoolean()
                                    ? CompletableFuture.completedFuture(decide(coalescing, id))
                                    : submit(coalescing, id));
                }
                return futures;
            }));
        }

        int completed = 0;
        for (Future<List<CompletableFuture<Decision>>> f : done) {
            for (CompletableFuture<Decision> decision : f.get(30, TimeUnit.SECONDS)) {
                decision.get(10, TimeUnit.SECONDS);
                completed++;
            }
        }
        assertThat(completed).isEqualTo(16 * 300);
        assertThat(redis.seen.values()).hasSize(16 * 300).containsOnly(1);
        assertThat(redis.mostInFlight.get()).isLessThanOrEqualTo(3);
    }

    @Test
    void afterClose_queuedDecisionsAreStillSent() {
        SlowRedis redis = new SlowRedis(0);
        Coalescing coalescing = new Coalescing(1, redis);
        coalescing.close();

        CompletableFuture<Decision> decision = submit(coalescing, 1);

        assertThat(decision).isCompleted();
    }

    @Test
    void aFailingHandler_failsTheDecisionsOfItsBatch() {
        Coalescing coalescing = new Coalescing(1, batch -> {
            throw new IllegalStateException("boom");
        });
        CompletableFuture<Decision> decision = submit(coalescing, 1);

        assertThat(decision.handle((d, e) -> e.getMessage())
                        .orTimeout(5, TimeUnit.SECONDS)
                        .join())
                .isEqualTo("boom");
    }
}
