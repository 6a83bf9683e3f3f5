package io.r8limiter.bench;

import io.r8limiter.Policy;
import io.r8limiter.internal.PolicyMath;
import io.r8limiter.redis.RedisBackend;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * r8limiter's own {@code bucket.lua}, called through Jedis the way {@link MinimalScript} calls the minimal one, with
 * the arguments the backend would send for one token of a single-limit policy: its distance from the minimal script
 * is the server's share of r8limiter's cost, its distance from the backend the client's.
 */
final class BucketScriptRaw {

    private final UnifiedJedis jedis;
    private final String sha;
    private final List<String> args;

    BucketScriptRaw(UnifiedJedis jedis, Policy policy) {
        this.jedis = jedis;
        this.sha = jedis.scriptLoad(ScriptText.of(RedisBackend.class, "bucket.lua"));
        PolicyMath m = policy.math();
        List<String> limit = List.of(
                Long.toString(m.capacity(0)),
                Long.toString(m.unitsPerMicro(0)),
                Long.toString(m.unitsPerToken(0)),
                Long.toString(m.periodMillis(0)));
        List<String> all = new ArrayList<>(List.of("1", "1", "1"));
        all.addAll(limit);
        all.add(String.join(":", limit));
        this.args = List.copyOf(all);
    }

    /** Whether one token was taken from {@code key}. */
    boolean tryConsume(String key) {
        List<?> reply = (List<?>) jedis.evalsha(sha, List.of(key), args);
        return ((Long) reply.get(0)) == 1L;
    }

    /** {@code n} decisions on {@code key} in one pipeline; the tokens taken. */
    int tryConsumePipelined(String key, int n) {
        return MinimalScript.consumePipelined(jedis, sha, key, args, n);
    }
}
