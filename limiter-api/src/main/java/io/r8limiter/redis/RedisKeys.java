package io.r8limiter.redis;

import io.r8limiter.BucketKey;
import io.r8limiter.internal.BucketIds;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The Redis key of a bucket: {@code <prefix>:3:{<tag>}:<id>}, where {@code 3} is the storage schema, {@code <tag>}
 * is a hash of the bucket id (so every key of a bucket shares one Cluster slot, and braces in user input never choose
 * it) and {@code <id>} is the bucket id itself, or its SHA-256 in base64url when it is long or not well-formed
 * UTF-16.
 *
 * <p>A literal id always contains a colon (policy name and key are joined by one) and a digest never does, so the
 * two forms cannot collide.
 */
final class RedisKeys {

    /**
     * The storage schema; bumped whenever the layout of keys or stored state changes. Schema 3 stores each limit's
     * capacity, refill tokens and period next to its deficit, in base 36; schema 2 stored capacity, T, P and period
     * in decimal, and schema 1 matched limits by position.
     */
    static final int SCHEMA = 3;

    /** Longest id, in UTF-8 bytes, stored literally. */
    static final int MAX_LITERAL_BYTES = 64;

    /**
     * One digest per thread: every decision names its key, and looking a digest up among the security providers
     * costs more than computing it.
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(RedisKeys::sha256);

    private final String prefix;

    private RedisKeys(String prefix) {
        this.prefix = prefix + ":" + SCHEMA + ":{";
    }

    /**
     * Keys under {@code prefix}.
     *
     * @throws IllegalArgumentException when the prefix is blank or holds a brace, which would pick the hash tag
     */
    static RedisKeys of(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("keyPrefix must not be blank but was '" + prefix + "'");
        }
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("keyPrefix must not contain braces but was '" + prefix + "'");
        }
        return new RedisKeys(prefix);
    }

    /** The key of the bucket {@code key} of the policy called {@code policy}. */
    String of(String policy, BucketKey key) {
        return forId(BucketIds.of(policy, key));
    }

    String forId(String id) {
        byte[] digest = digest(id);
        String tag = HexFormat.of().formatHex(digest, 0, 4);
        String stored = storedLiterally(id)
                ? id
                : Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        return prefix + tag + "}:" + stored;
    }

    private static boolean storedLiterally(String id) {
        return BucketKey.utf8Length(id) <= MAX_LITERAL_BYTES && wellFormed(id);
    }

    /** Whether every surrogate in {@code id} is half of a pair, so that it encodes to UTF-8 and back unchanged. */
    private static boolean wellFormed(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c)
                        || i + 1 == id.length()
                        || !Character.isLowSurrogate(id.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** SHA-256 of the id's UTF-16 code units, which (unlike UTF-8 encoding) keeps unpaired surrogates distinct. */
    private static byte[] digest(String id) {
        byte[] units = new byte[id.length() * 2];
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            units[2 * i] = (byte) (c >>> 8);
            units[2 * i + 1] = (byte) c;
        }
        return SHA256.get().digest(units);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
