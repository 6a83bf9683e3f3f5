package io.r8limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.memory.MemoryBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A bound bucket answers as the front door does on the same bucket, without looking anything up per decision. */
class BoundBucketTest {

    private static final BucketKey KEY = BucketKey.of("u1");

    private final ManualTime time = new ManualTime();
    private final MemoryBackend backend =
            MemoryBackend.builder().time(time).sweepExecutor(Runnable::run).build();

    private RateLimiter limiter(PolicyStore store) {
        return RateLimiter.builder().backend(backend).policies(store).build();
    }

    @Test
    void bucket_sharesItsTokensWithTheFrontDoor() {
        RateLimiter limiter = limiter(LocalPolicyStore.of(Policy.of("p", Limit.perPeriod(10, Duration.ofMinutes(1)))));
        BoundBucket bucket = limiter.bucket("p", KEY);

        Decision bound = bucket.tryConsume(4);
        Decision front = limiter.tryConsume("p", KEY, 3);
        Decision boundAgain = bucket.tryConsume();

        assertThat(bound.remaining()).isEqualTo(6);
        assertThat(front.remaining()).isEqualTo(3);
        assertThat(boundAgain.remaining()).isEqualTo(2);
        assertThat(bucket.peek().remaining()).isEqualTo(2);
        assertThat(bucket.policyName()).isEqualTo("p");
        assertThat(bucket.key()).isEqualTo(KEY);
    }

    @Test
    void unknownPolicy_isRefusedWhenBinding_namingIt() {
        RateLimiter limiter = limiter(LocalPolicyStore.of(Policy.of("p", Limit.perPeriod(1, Duration.ofSeconds(1)))));

        assertThatThrownBy(() -> limiter.bucket("nope", KEY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy 'nope' is not defined");
    }

    @Test
    void badCost_isRefused_andTakesNothing() {
        RateLimiter limiter = limiter(LocalPolicyStore.of(Policy.of("p", Limit.perPeriod(3, Duration.ofMinutes(1)))));
        BoundBucket bucket = limiter.bucket("p", KEY);

        assertThatThrownBy(() -> bucket.tryConsume(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cost must be positive but was 0");
        assertThatThrownBy(() -> bucket.tryConsume(4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cost 4 exceeds the capacity 3 of policy 'p'");
        assertThat(bucket.tryConsumeAsync(-1).toCompletableFuture()).isCompletedExceptionally();
        assertThat(bucket.peek().remaining()).isEqualTo(3);
    }

    // C16 for a held bucket: it reads the policy through the store's live view, so an override made after binding
    // must apply to its next decision, not to buckets bound later.
    @Test
    void anOverride_appliesToTheNextDecision_andRemovingThePolicyRefusesDecisions() {
        LocalPolicyStore store = LocalPolicyStore.of();
        store.putOverride(Policy.of("p", Limit.perPeriod(5, Duration.ofMinutes(1))));
        RateLimiter limiter = limiter(store);
        BoundBucket bucket = limiter.bucket("p", KEY);
        bucket.tryConsume(3);

        store.putOverride(Policy.of("p", Limit.perPeriod(20, Duration.ofMinutes(1))));
        Decision bigger = bucket.tryConsume();
        store.removeOverride("p");

        assertThat(bigger).extracting(Decision::remaining, Decision::limit).containsExactly(16L, 20L);
        assertThatThrownBy(bucket::tryConsume)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy 'p' is not defined");
        store.putOverride(Policy.of("p", Limit.perPeriod(20, Duration.ofMinutes(1))));
        assertThat(bucket.tryConsume().remaining()).isEqualTo(15);
    }

    @Test
    void aStoreWithoutLiveViews_isAskedOnEveryDecision() {
        LocalPolicyStore local = LocalPolicyStore.of(Policy.of("p", Limit.perPeriod(5, Duration.ofMinutes(1))));
        AtomicInteger lookups = new AtomicInteger();
        PolicyStore counting = new ForwardingStore(local) {
            @Override
            public Policy require(String name) {
                lookups.incrementAndGet();
                return super.require(name);
            }
        };
        BoundBucket bucket = limiter(counting).bucket("p", KEY);
        int atBinding = lookups.get();

        bucket.tryConsume();
        local.putOverride(Policy.of("p", Limit.perPeriod(50, Duration.ofMinutes(1))));
        Decision afterOverride = bucket.tryConsume();

        assertThat(lookups.get() - atBinding).isEqualTo(2);
        assertThat(afterOverride.limit()).isEqualTo(50);
    }

    @Test
    void shadowPolicy_allows_butListenersHearTheDenial() {
        List<Decision> heard = new ArrayList<>();
        Policy shadow = Policy.builder("s")
                .limit(1, 1, Duration.ofMinutes(1))
                .shadow(true)
                .build();
        RateLimiter limiter = RateLimiter.builder()
                .backend(backend)
                .policies(shadow)
                .listener((policy, key, decision, nanos) -> heard.add(decision))
                .build();
        BoundBucket bucket = limiter.bucket("s", KEY);

        Decision first = bucket.tryConsume();
        Decision second = bucket.tryConsume();
        Decision async = bucket.tryConsumeAsync(1).toCompletableFuture().join();

        assertThat(List.of(first, second, async)).allMatch(Decision::allowed);
        assertThat(heard).extracting(Decision::allowed).containsExactly(true, false, false);
    }

    @Test
    void reset_throughTheLimiter_reachesTheBucket() {
        RateLimiter limiter = limiter(LocalPolicyStore.of(Policy.of("p", Limit.perPeriod(2, Duration.ofMinutes(1)))));
        BoundBucket bucket = limiter.bucket("p", KEY);
        bucket.tryConsume(2);

        limiter.reset("p", KEY);

        assertThat(bucket.tryConsume().remaining()).isEqualTo(1);
    }

    @Test
    void acquire_waitsForTheTokens_withinTheTimeout() throws InterruptedException {
        RateLimiter limiter = RateLimiter.builder()
                .policies(Policy.of("p", Limit.of(1, 1, Duration.ofMillis(50))))
                .build();
        BoundBucket bucket = limiter.bucket("p", KEY);
        bucket.tryConsume();

        Decision waited = bucket.acquire(1, Duration.ofSeconds(2));
        bucket.tryConsume();
        Decision impatient = bucket.acquire(1, Duration.ofMillis(1));

        assertThat(waited.allowed()).isTrue();
        assertThat(impatient.allowed()).isFalse();
    }

    /** A store that forwards to another and keeps the interface's default live view. */
    private static class ForwardingStore implements PolicyStore {
        private final PolicyStore delegate;

        ForwardingStore(PolicyStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public java.util.Optional<Policy> find(String name) {
            return delegate.find(name);
        }

        @Override
        public Policy require(String name) {
            return delegate.require(name);
        }

        @Override
        public List<PolicyEntry> list() {
            return delegate.list();
        }

        @Override
        public PolicyEntry putOverride(Policy policy) {
            return delegate.putOverride(policy);
        }

        @Override
        public boolean removeOverride(String name) {
            return delegate.removeOverride(name);
        }
    }
}
