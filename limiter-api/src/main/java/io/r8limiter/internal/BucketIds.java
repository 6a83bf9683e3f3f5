package io.r8limiter.internal;

import io.r8limiter.BucketKey;

/** Builds the one string that names a bucket: its policy's name and its key, encoded unambiguously. */
public final class BucketIds {

    private BucketIds() {}

    /**
     * {@code policy} with {@code \} and {@code :} escaped, a colon, then the key's encoding. A name with nothing to
     * escape (the usual case) costs one concatenation and no builder.
     */
    public static String of(String policy, BucketKey key) {
        if (policy.indexOf('\\') < 0 && policy.indexOf(':') < 0) {
            return policy + ':' + key.encoded();
        }
        String encoded = key.encoded();
        StringBuilder sb = new StringBuilder(policy.length() + encoded.length() + 4);
        for (int i = 0; i < policy.length(); i++) {
            char c = policy.charAt(i);
            if (c == '\\' || c == ':') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append(':').append(encoded).toString();
    }
}
