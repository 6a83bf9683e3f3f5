package io.r8limiter;

import static java.util.Objects.requireNonNull;

import io.r8limiter.internal.PolicyMath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A named set of one or more {@link Limit}s that are checked and debited together.
 *
 * <p>A decision for {@code cost} tokens is allowed only if every limit holds {@code cost} tokens; then all of them
 * are debited at once. A policy in shadow mode is decided and counted like any other, but its denials are turned
 * into allowances, which makes a new limit safe to roll out. Policies are immutable values; replace one at runtime
 * through a {@link PolicyStore}.
 *
 * @since 0.1
 */
public final class Policy {

    /**
     * Longest accepted policy name, in UTF-8 bytes: the same as a key part, so that any resource usable as a key part
     * can also name a policy.
     */
    public static final int MAX_NAME_BYTES = BucketKey.MAX_PART_BYTES;

    private final String name;
    private final List<Limit> limits;
    private final boolean shadow;
    private final PolicyMath math;

    private Policy(String name, List<Limit> limits, boolean shadow) {
        this.name = checkName(name);
        this.limits = List.copyOf(requireNonNull(limits, "limits"));
        if (this.limits.isEmpty()) {
            throw new IllegalArgumentException("policy " + name + " must have at least one limit");
        }
        this.shadow = shadow;
        this.math = PolicyMath.of(this.limits);
    }

    /** A policy with the given limits, enforcing. */
    public static Policy of(String name, Limit... limits) {
        return new Policy(name, List.of(limits), false);
    }

    /** A policy with the given limits, enforcing. */
    public static Policy of(String name, List<Limit> limits) {
        return new Policy(name, limits, false);
    }

    /** Starts a policy called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The policy's name, which is part of every bucket key it decides. */
    public String name() {
        return name;
    }

    /** The limits, in declaration order. */
    public List<Limit> limits() {
        return limits;
    }

    /** Whether denials are only counted, never enforced. */
    public boolean shadow() {
        return shadow;
    }

    /** The smallest capacity among the limits: the largest cost any decision may ask for. */
    public long maxCost() {
        return math.maxCost();
    }

    /** This policy with the same limits and the given shadow flag. */
    public Policy withShadow(boolean shadow) {
        return shadow == this.shadow ? this : new Policy(name, limits, shadow);
    }

    /** This policy under another name. */
    public Policy withName(String name) {
        return new Policy(name, limits, shadow);
    }

    /**
     * The precomputed arithmetic of the limits. For engines only: not API.
     *
     * @hidden
     */
    public PolicyMath math() {
        return math;
    }

    /** Whether both policies have the same limits in the same order (names and shadow flags aside). */
    public boolean sameLimits(Policy other) {
        return limits.equals(other.limits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Policy p && p.name.equals(name) && p.limits.equals(limits) && p.shadow == shadow;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + limits.hashCode() + (shadow ? 1 : 0);
    }

    @Override
    public String toString() {
        return "Policy[name=" + name + ", limits=" + limits + (shadow ? ", shadow" : "") + "]";
    }

    /** Checks a name by the rule of a key part: not blank, at most {@value #MAX_NAME_BYTES} UTF-8 bytes. */
    private static String checkName(String name) {
        return BucketKey.checkPart("policy name", requireNonNull(name, "name"));
    }

    /** Collects the limits of a {@link Policy}. */
    public static final class Builder {
        private final String name;
        private final List<Limit> limits = new ArrayList<>();
        private boolean shadow;

        private Builder(String name) {
            this.name = name;
        }

        /** Adds a limit. */
        public Builder limit(Limit limit) {
            limits.add(requireNonNull(limit, "limit"));
            return this;
        }

        /** Adds a limit of {@code capacity} tokens refilling {@code refillTokens} per {@code refillPeriod}. */
        public Builder limit(long capacity, long refillTokens, Duration refillPeriod) {
            return limit(Limit.of(capacity, refillTokens, refillPeriod));
        }

        /** Whether the policy only counts its denials. */
        public Builder shadow(boolean shadow) {
            this.shadow = shadow;
            return this;
        }

        /** The policy. */
        public Policy build() {
            return new Policy(name, limits, shadow);
        }
    }
}
