package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.LocalPolicyStore;
import io.r8limiter.Policy;
import io.r8limiter.PolicyEntry;
import io.r8limiter.PolicyStore;
import io.r8limiter.RateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which policy decides a resource, when overrides come and go under the request. */
class ResourcesTest {

    private final LocalPolicyStore store =
            LocalPolicyStore.of(Policy.of("default", Limit.perPeriod(3, Duration.ofMinutes(1))));
    private final VanishingOverride policies = new VanishingOverride(store);
    private final RateLimiter limiter = RateLimiter.builder().policies(policies).build();
    private final Resources resources = new Resources(policies);
    private final BucketKey key = Resources.key("u1", "search");

    // The policy was chosen with one store read and the limiter read it again: an override deleted in between
    // made a valid request fail with 400 "policy 'search' is not defined" instead of being decided by default.
    @Test
    void overrideRemovedBetweenChoiceAndDecision_isDecidedByTheDefault() {
        store.putOverride(Policy.of("search", Limit.perPeriod(10, Duration.ofMinutes(1))));
        policies.removeAfterNextFind("search");

        String[] used = new String[1];
        Decision d = resources.withPolicy("search", policy -> {
            used[0] = policy;
            return limiter.tryConsume(policy, key, 1);
        });

        assertThat(d.allowed()).isTrue();
        assertThat(d.limit()).isEqualTo(3);
        assertThat(used[0]).isEqualTo("default");
    }

    @Test
    void overrideInForce_decides() {
        store.putOverride(Policy.of("search", Limit.perPeriod(10, Duration.ofMinutes(1))));

        Decision d = resources.withPolicy("search", policy -> limiter.tryConsume(policy, key, 1));

        assertThat(d.limit()).isEqualTo(10);
    }

    @Test
    void badCost_underAnOverrideInForce_isStillBadInput() {
        store.putOverride(Policy.of("search", Limit.perPeriod(10, Duration.ofMinutes(1))));

        assertThatThrownBy(() -> resources.withPolicy("search", policy -> limiter.tryConsume(policy, key, 11)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cost 11 exceeds the capacity 10 of policy 'search'");
    }

    /** A store that loses an override right after the next read of it, as a concurrent DELETE would. */
    private static final class VanishingOverride implements PolicyStore {
        private final PolicyStore delegate;
        private String vanishing;

        VanishingOverride(PolicyStore delegate) {
            this.delegate = delegate;
        }

        void removeAfterNextFind(String name) {
            vanishing = name;
        }

        @Override
        public Optional<Policy> find(String name) {
            Optional<Policy> found = delegate.find(name);
            if (name.equals(vanishing)) {
                vanishing = null;
                delegate.removeOverride(name);
            }
            return found;
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
