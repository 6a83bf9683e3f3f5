package io.r8limiter.redis;

import io.r8limiter.BucketKey;
import io.r8limiter.internal.BucketIds;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Names a denied bucket as a member of an offender sorted set, reversibly: its bucket id (policy name and key,
 * escaped, joined by a colon), or, when the id is not well-formed UTF-16 and would not survive UTF-8, the base64url of
 * its UTF-16 code units. A literal id always holds an unescaped colon and base64url never holds one, so the two forms
 * never collide.
 */
final class OffenderMembers {

    private OffenderMembers() {}

    static String of(String policy, BucketKey key) {
        String id = BucketIds.of(policy, key);
        if (StandardCharsets.UTF_8.newEncoder().canEncode(id)) {
            return id;
        }
        byte[] units = new byte[id.length() * 2];
        for (int i = 0; i < id.length(); i++) {
            units[2 * i] = (byte) (id.charAt(i) >>> 8);
            units[2 * i + 1] = (byte) id.charAt(i);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(units);
    }

    /** The policy name and key of a member written by {@link #of}. */
    static Parsed parse(String member) {
        String id = member.indexOf(':') >= 0
                ? member
                : fromUnits(Base64.getUrlDecoder().decode(member));
        StringBuilder policy = new StringBuilder();
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '\\' && i + 1 < id.length()) {
                policy.append(id.charAt(++i));
            } else if (c == ':') {
                return new Parsed(policy.toString(), BucketKey.decode(id.substring(i + 1)));
            } else {
                policy.append(c);
            }
        }
        throw new IllegalArgumentException("offender member has no key: " + member);
    }

    /** Code units as written by {@link #of}; unlike a charset decoder, keeps unpaired surrogates as they were. */
    private static String fromUnits(byte[] units) {
        char[] chars = new char[units.length / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (((units[2 * i] & 0xff) << 8) | (units[2 * i + 1] & 0xff));
        }
        return new String(chars);
    }

    record Parsed(String policy, BucketKey key) {}
}
