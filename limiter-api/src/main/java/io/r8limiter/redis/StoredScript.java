package io.r8limiter.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script of the stats and policy store, read once from a resource and called by its SHA-1; a server that does
 * not know it yet (first call, restart, failover, {@code SCRIPT FLUSH}) answers NOSCRIPT, and the script is then sent
 * whole, which also caches it there.
 */
final class StoredScript {

    private final String source;
    private final String sha;

    private StoredScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** The script in resource {@code name} next to this class. */
    static StoredScript load(String name) {
        try (InputStream in = StoredScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("script resource " + name + " is missing");
            }
            return new StoredScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the script on the node of {@code keys}, which must all share one hash slot. */
    Object run(UnifiedJedis jedis, List<String> keys, List<String> args) {
        try {
            return jedis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return jedis.eval(source, keys, args);
        }
    }

    private static String sha1(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
    }
}
