package io.r8limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.PolicyEntry.Source;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The in-process policy store: overrides win over configuration, and removing one brings the base back. */
class LocalPolicyStoreTest {

    private static final Policy BASE = Policy.of("p", Limit.perPeriod(10, Duration.ofMinutes(1)));
    private static final Policy FASTER = Policy.of("p", Limit.perPeriod(100, Duration.ofMinutes(1)));
    private static final Policy EXTRA = Policy.of("q", Limit.perPeriod(5, Duration.ofSeconds(1)));

    private final LocalPolicyStore store = LocalPolicyStore.of(BASE);

    @Test
    void anOverride_winsOverTheConfiguredPolicy_andItsRemovalBringsTheBaseBack() {
        PolicyEntry set = store.putOverride(FASTER);

        assertThat(store.require("p")).isSameAs(FASTER);
        assertThat(store.list()).containsExactly(set);
        assertThat(set.source()).isEqualTo(Source.OVERRIDE);

        assertThat(store.removeOverride("p")).isTrue();
        assertThat(store.require("p")).isSameAs(BASE);
        assertThat(store.list()).containsExactly(new PolicyEntry(BASE, 0, Source.CONFIGURATION));
    }

    @Test
    void removingWhereThereIsNoOverride_changesNothing() {
        assertThat(store.removeOverride("p")).isFalse();
        assertThat(store.removeOverride("q")).isFalse();

        assertThat(store.find("p")).containsSame(BASE);
        assertThat(store.find("q")).isEmpty();
    }

    @Test
    void anOverrideOfANewName_existsUntilRemoved_andVersionsKeepRising() {
        long first = store.putOverride(EXTRA).version();
        long second = store.putOverride(EXTRA).version();

        assertThat(store.list()).extracting(e -> e.policy().name()).containsExactly("p", "q");
        assertThat(second).isGreaterThan(first);

        assertThat(store.removeOverride("q")).isTrue();
        assertThatThrownBy(() -> store.require("q"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy 'q' is not defined");
        assertThat(store.putOverride(FASTER).version()).isGreaterThan(second);
    }

    @Test
    void aLiveView_followsEveryLaterChange_andANameGoneLeavesNoEntryInTheList() {
        Supplier<Policy> p = store.live("p");
        Supplier<Policy> q = store.live("q");

        assertThat(p.get()).isSameAs(BASE);
        assertThatThrownBy(q::get).isInstanceOf(IllegalArgumentException.class).hasMessage("policy 'q' is not defined");
        store.putOverride(FASTER);
        store.putOverride(EXTRA);
        assertThat(p.get()).isSameAs(FASTER);
        assertThat(q.get()).isSameAs(EXTRA);
        store.removeOverride("p");
        store.removeOverride("q");
        assertThat(p.get()).isSameAs(BASE);
        assertThatThrownBy(q::get).hasMessage("policy 'q' is not defined");
        assertThat(store.list()).extracting(e -> e.policy().name()).containsExactly("p");
        assertThat(store.find("q")).isEmpty();
    }

    @Test
    void aNameConfiguredTwice_isRefused() {
        assertThatThrownBy(() -> LocalPolicyStore.of(BASE, FASTER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy 'p' is defined twice");
    }
}
