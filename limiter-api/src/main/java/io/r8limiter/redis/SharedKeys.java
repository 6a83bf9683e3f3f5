package io.r8limiter.redis;

/**
 * Names of the keys and channel that every instance of a fleet shares for stats and policies, under
 * {@code <prefix>:1:}, where {@code 1} is the storage schema. Stats slices share the hash tag {@code {stats}} and the
 * policy keys the tag {@code {policies}}, so each group's multi-key scripts also run on Redis Cluster.
 */
final class SharedKeys {

    /** The storage schema of these keys; bumped whenever their layout changes. */
    static final int SCHEMA = 1;

    private SharedKeys() {}

    /**
     * Checks a key prefix.
     *
     * @throws IllegalArgumentException when blank or holding a brace, which would pick the Cluster hash tag
     */
    static String checkPrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("keyPrefix must not be blank but was '" + prefix + "'");
        }
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("keyPrefix must not contain braces but was '" + prefix + "'");
        }
        return prefix;
    }

    /** The start of every stats key: {@code <prefix>:1:{stats}:}. */
    static String stats(String prefix) {
        return prefix + ":" + SCHEMA + ":{stats}:";
    }

    /** The hash of policy overrides, one field per policy name: {@code <prefix>:1:{policies}}. */
    static String policies(String prefix) {
        return prefix + ":" + SCHEMA + ":{policies}";
    }

    /** The counter that versions every policy change: {@code <prefix>:1:{policies}:version}. */
    static String policyVersion(String prefix) {
        return policies(prefix) + ":version";
    }

    /** The channel that announces policy changes: {@code <prefix>:1:policies:changes}. */
    static String policyChanges(String prefix) {
        return prefix + ":" + SCHEMA + ":policies:changes";
    }
}
