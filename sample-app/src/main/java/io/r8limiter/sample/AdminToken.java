package io.r8limiter.sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token that opens the admin API. Compared in constant time over SHA-256 digests, so neither the content
 * nor the length of the configured token leaks through response timing.
 */
final class AdminToken {

    private static final String BEARER = "Bearer ";

    private final byte[] digest;

    private AdminToken(String token) {
        this.digest = sha256(token);
    }

    /** The configured token. */
    static AdminToken of(String token) {
        if (token.isBlank()) {
            throw new IllegalArgumentException("r8limiter.admin.token must not be blank");
        }
        return new AdminToken(token);
    }

    /** A fresh random token (256 bits, URL-safe Base64). */
    static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether an {@code Authorization} header value presents this token. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        String presented = authorization.substring(BEARER.length()).trim();
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
