package io.r8limiter;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

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

    /**
     * A view of the policy in force under {@code name} that follows every later change, for a caller that reads it on
     * every decision (see {@link RateLimiter#bucket}); its {@code get()} throws an {@link IllegalArgumentException}
     * while no policy of that name is in force. The default looks the name up on each read; a store may hand out
     * something cheaper to read.
     */
    default Supplier<Policy> live(String name) {
        requireNonNull(name, "name");
        return () -> require(name);
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
