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
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PolicyStore} held in this process: overrides are local to the instance. Thread-safe; readers never
 * block and never see half of an update, since each policy is an immutable value swapped whole. Each name ever in
 * force has one holder of its current entry, kept in one map: finding a policy is a single lookup on every
 * decision's path, and a {@linkplain #live live view} is the holder itself, read without any lookup. The rare writes
 * take a lock so that an override and its removal cannot interleave.
 *
 * @since 0.1
 */
public final class LocalPolicyStore implements PolicyStore {

    private final Map<String, Policy> configured;
    private final Map<String, Holder> holders = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    private LocalPolicyStore(Map<String, Policy> configured) {
        this.configured = configured;
        configured.forEach((name, p) -> holder(name).entry = configuredEntry(p));
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
        PolicyEntry entry = entry(name);
        return entry == null ? Optional.empty() : Optional.of(entry.policy());
    }

    @Override
    public Policy require(String name) {
        PolicyEntry entry = entry(name);
        return entry != null ? entry.policy() : PolicyStore.super.require(name);
    }

    /** The holder of {@code name}'s entry, which every change of that name updates; see {@link PolicyStore#live}. */
    @Override
    public Supplier<Policy> live(String name) {
        return holder(requireNonNull(name, "name"));
    }

    @Override
    public List<PolicyEntry> list() {
        TreeMap<String, PolicyEntry> byName = new TreeMap<>();
        holders.forEach((name, holder) -> {
            PolicyEntry entry = holder.entry;
            if (entry != null) {
                byName.put(name, entry);
            }
        });
        return List.copyOf(byName.values());
    }

    @Override
    public synchronized PolicyEntry putOverride(Policy policy) {
        requireNonNull(policy, "policy");
        PolicyEntry entry = new PolicyEntry(policy, versions.incrementAndGet(), PolicyEntry.Source.OVERRIDE);
        holder(policy.name()).entry = entry;
        return entry;
    }

    @Override
    public synchronized boolean removeOverride(String name) {
        Holder holder = holders.get(name);
        if (holder == null || holder.entry == null || holder.entry.source() != PolicyEntry.Source.OVERRIDE) {
            return false;
        }
        Policy base = configured.get(name);
        holder.entry = base == null ? null : configuredEntry(base);
        return true;
    }

    private @Nullable PolicyEntry entry(String name) {
        Holder holder = holders.get(name);
        return holder == null ? null : holder.entry;
    }

    private Holder holder(String name) {
        Holder holder = holders.get(name);
        return holder != null ? holder : holders.computeIfAbsent(name, Holder::new);
    }

    private static PolicyEntry configuredEntry(Policy policy) {
        return new PolicyEntry(policy, 0, PolicyEntry.Source.CONFIGURATION);
    }

    /**
     * The entry in force under one name, {@code null} while there is none. A holder is never replaced or removed, so
     * a live view handed out once follows every later change; there is one per name ever defined or asked for.
     */
    private static final class Holder implements Supplier<Policy> {
        private final String name;
        private volatile @Nullable PolicyEntry entry;

        Holder(String name) {
            this.name = name;
        }

        @Override
        public Policy get() {
            PolicyEntry current = entry;
            if (current == null) {
                throw new IllegalArgumentException("policy '" + name + "' is not defined");
            }
            return current.policy();
        }
    }
}
