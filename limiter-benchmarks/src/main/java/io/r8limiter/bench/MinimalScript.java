package io.r8limiter.bench;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/** The raw baseline on Redis: one EVALSHA of {@code minimal-bucket.lua} per decision, straight through Jedis. */
public final class MinimalScript {

    private final UnifiedJedis jedis;
    private final String sha;
    private final List<String> args;

    /** Loads the script on {@code jedis}, for buckets of {@code capacity} refilled by {@code tokensPerMicro}. */
    public MinimalScript(UnifiedJedis jedis, long capacity, double tokensPerMicro) {
        this.jedis = jedis;
        this.sha = jedis.scriptLoad(ScriptText.of(MinimalScript.class, "minimal-bucket.lua"));
        this.args = List.of(Long.toString(capacity), Double.toString(tokensPerMicro), "1");
    }

    /** Whether one token was taken from {@code key}. */
    public boolean tryConsume(String key) {
        List<?> reply = (List<?>) jedis.evalsha(sha, List.of(key), args);
        return ((Long) reply.get(0)) == 1L;
    }

    /** {@code n} decisions on {@code key} in one pipeline, as a batching caller would send them; the tokens taken. */
    int tryConsumePipelined(String key, int n) {
        return consumePipelined(jedis, sha, key, args, n);
    }

    /**
     * {@code n} EVALSHA of the script {@code sha} on {@code key} in one pipeline, for a script whose reply starts with
     * 1 when it took a token; the tokens taken.
     */
    static int consumePipelined(UnifiedJedis jedis, String sha, String key, List<String> args, int n) {
        List<Response<Object>> replies = new ArrayList<>(n);
        try (AbstractPipeline pipeline = jedis.pipelined()) {
            for (int i = 0; i < n; i++) {
                replies.add(pipeline.evalsha(sha, List.of(key), args));
            }
            pipeline.sync();
        }
        int taken = 0;
        for (Response<Object> reply : replies) {
            taken += ((Long) ((List<?>) reply.get()).get(0)).intValue();
        }
        return taken;
    }
}
