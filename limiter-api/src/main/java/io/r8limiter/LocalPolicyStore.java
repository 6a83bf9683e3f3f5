package io.r8limiter;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link PolicyStore} held in this process: overrides are local to the instance. Thread-safe; readers never
 * block and never see half of an update, since each policy is an immutable value swapped whole.
 *
 * @since 0.1
 */
public final class LocalPolicyStore implements PolicyStore {

    private final Map<String, Policy> configured;
    private final Map<String, PolicyEntry> overrides = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    private LocalPolicyStore(Map<String, Policy> configured) {
        this.configured = configured;
    }

    /** A store whose base is {@code policies}; names must be unique. */
    public static LocalPolicyStore of(Collection<Policy> policies) {
        Map<String, Policy> byName = new ConcurrentHashMap<>();
        for (Policy policy : policies) {
            if (byName.putIfAbsent(policy.name(), policy) != null) {
                throw new IllegalArgumentException("policy '" + policy.name() + "' is defined twice");
            }
        }
        return new LocalPolicyStore(byName);
    }

    /** A store whose base is {@code policies}. */
    public static LocalPolicyStore of(Policy... policies) {
        return of(List.of(policies));
    }

    @Override
    public Optional<Policy> find(String name) {
        PolicyEntry override = overrides.get(name);
        return override != null ? Optional.of(override.policy()) : Optional.ofNullable(configured.get(name));
    }

    @Override
    public List<PolicyEntry> list() {
        Map<String, PolicyEntry> all = new TreeMap<>();
        configured.forEach((name, p) -> all.put(name, new PolicyEntry(p, 0, PolicyEntry.Source.CONFIGURATION)));
        all.putAll(overrides);
        return List.copyOf(all.values());
    }

    @Override
    public PolicyEntry putOverride(Policy policy) {
        requireNonNull(policy, "policy");
        PolicyEntry entry = new PolicyEntry(policy, versions.incrementAndGet(), PolicyEntry.Source.OVERRIDE);
        overrides.put(policy.name(), entry);
        return entry;
    }

    @Override
    public boolean removeOverride(String name) {
        return overrides.remove(name) != null;
    }
}
