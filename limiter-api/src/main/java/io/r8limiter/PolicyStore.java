package io.r8limiter;

import java.util.List;
import java.util.Optional;

/**
 * The policies in force: configured ones as the base, runtime overrides on top.
 *
 * <p>An override wins until it is removed, so a restart with the old configuration never reverts an operator's
 * change, and a new configuration applies wherever no override exists. Replacing a policy keeps every bucket's
 * deficit: tokens become the new capacity minus what the bucket lacked, never below zero.
 *
 * @since 0.1
 */
public interface PolicyStore extends AutoCloseable {

    /** The policy in force under {@code name}, if any. */
    Optional<Policy> find(String name);

    /**
     * The policy in force under {@code name}.
     *
     * @throws IllegalArgumentException if there is none
     */
    default Policy require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("policy '" + name + "' is not defined"));
    }

    /** Every policy in force, sorted by name. */
    List<PolicyEntry> list();

    /** Sets a runtime override; returns the entry now in force, with its new version. */
    PolicyEntry putOverride(Policy policy);

    /** Removes the override of {@code name}; returns whether there was one. */
    boolean removeOverride(String name);

    @Override
    default void close() {}
}
