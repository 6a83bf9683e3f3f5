package io.r8limiter;

/**
 * A policy as a {@link PolicyStore} lists it: where it comes from and its version.
 *
 * @param policy the policy in force
 * @param version increases with every change of this name's override; 0 for a configured policy never overridden
 * @param source whether configuration or a runtime override set it
 * @since 0.1
 */
public record PolicyEntry(Policy policy, long version, Source source) {

    /** Where a policy in force comes from. */
    public enum Source {
        /** Declared in configuration (yml, web.xml, code): the base. */
        CONFIGURATION,
        /** Set at runtime; wins over configuration until removed. */
        OVERRIDE
    }
}
