package io.r8limiter;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link PolicyStore} held in this process: overrides are local to the instance. Thread-safe; readers never
 * block and never see half of an update, since each policy is an immutable value swapped whole. The policies in
 * force are kept in one map, so finding one is a single lookup on every decision's path; the rare writes take a
 * lock so that an override and its removal cannot interleave.
 *
 * @since 0.1
 */
public final class LocalPolicyStore implements PolicyStore {

    private final Map<String, Policy> configured;
    private final Map<String, PolicyEntry> inForce = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    private LocalPolicyStore(Map<String, Policy> configured) {
        this.configured = configured;
        configured.forEach((name, p) -> inForce.put(name, configuredEntry(p)));
    }

    /** A store whose base is {@code policies}; names must be unique. */
    public static LocalPolicyStore of(Collection<Policy> policies) {
        Map<String, Policy> byName = new HashMap<>();
        for (Policy policy : policies) {
            if (byName.putIfAbsent(policy.name(), policy) != null) {
                throw new IllegalArgumentException("policy '" + policy.name() + "' is defined twice");
            }
        }
        return new LocalPolicyStore(Map.copyOf(byName));
    }

    /** A store whose base is {@code policies}. */
    public static LocalPolicyStore of(Policy... policies) {
        return of(List.of(policies));
    }

    @Override
    public Optional<Policy> find(String name) {
        PolicyEntry entry = inForce.get(name);
        return entry == null ? Optional.empty() : Optional.of(entry.policy());
    }

    @Override
    public Policy require(String name) {
        PolicyEntry entry = inForce.get(name);
        return entry != null ? entry.policy() : PolicyStore.super.require(name);
    }

    @Override
    public List<PolicyEntry> list() {
        return List.copyOf(new TreeMap<>(inForce).values());
    }

    @Override
    public synchronized PolicyEntry putOverride(Policy policy) {
        requireNonNull(policy, "policy");
        PolicyEntry entry = new PolicyEntry(policy, versions.incrementAndGet(), PolicyEntry.Source.OVERRIDE);
        inForce.put(policy.name(), entry);
        return entry;
    }

    @Override
    public synchronized boolean removeOverride(String name) {
        PolicyEntry entry = inForce.get(name);
        if (entry == null || entry.source() != PolicyEntry.Source.OVERRIDE) {
            return false;
        }
        Policy base = configured.get(name);
        if (base == null) {
            inForce.remove(name);
        } else {
            inForce.put(name, configuredEntry(base));
        }
        return true;
    }

    private static PolicyEntry configuredEntry(Policy policy) {
        return new PolicyEntry(policy, 0, PolicyEntry.Source.CONFIGURATION);
    }
}
