package io.r8limiter.redis;

import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.LimitStatus;
import io.r8limiter.Policy;
import io.r8limiter.internal.PolicyMath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The bucket script ({@code bucket.lua}): its text, read once from the class path, its SHA-1 for EVALSHA, the
 * arguments it takes and the decision its reply describes.
 *
 * <p>A call goes out as EVALSHA. When the server's script cache was emptied (restart, failover, SCRIPT FLUSH) the
 * NOSCRIPT reply is an ordinary path: the same call is sent once more as EVAL with the body, which also caches the
 * script again. EVALSHA that fails with NOSCRIPT ran nothing, so the second call never debits twice.
 */
final class BucketScript {

    private static final String RESOURCE = "bucket.lua";
    private static final CommandObjects COMMANDS = new CommandObjects();

    private final String body;
    private final String sha;
    private final AtomicLong reloads = new AtomicLong();

    BucketScript(String body) {
        this.body = body;
        this.sha = sha1(body);
    }

    /** The production script, which reads the time from Redis. */
    static BucketScript load() {
        try (InputStream in = BucketScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource io/r8limiter/redis/" + RESOURCE + " is missing");
            }
            return new BucketScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String body() {
        return body;
    }

    String sha() {
        return sha;
    }

    /** How many calls met NOSCRIPT and were sent again with the body. */
    long reloads() {
        return reloads.get();
    }

    /** Runs the script on {@code key}: a decision for {@code cost} tokens, debited only when {@code consume}. */
    Decision run(Transport transport, String key, Policy policy, long cost, boolean consume) {
        List<String> keys = List.of(key);
        List<String> args = args(policy, cost, consume);
        Object reply;
        try {
            reply = transport.execute(key, COMMANDS.evalsha(sha, keys, args));
        } catch (JedisNoScriptException e) {
            reloads.incrementAndGet();
            reply = transport.execute(key, COMMANDS.eval(body, keys, args));
        }
        return decision(policy, reply);
    }

    /**
     * Sends one EVALSHA per request in one pipeline and returns each reply, or the error it met (a NOSCRIPT among
     * them ran nothing). A connection failure fails the whole batch: none of it is sent again.
     */
    List<Object> runPipelined(UnifiedJedis jedis, List<String> keys, List<List<String>> args) {
        List<Response<Object>> responses = new ArrayList<>(keys.size());
        try (AbstractPipeline pipeline = jedis.pipelined()) {
            for (int i = 0; i < keys.size(); i++) {
                responses.add(pipeline.evalsha(sha, List.of(keys.get(i)), args.get(i)));
            }
            pipeline.sync();
        }
        List<Object> replies = new ArrayList<>(responses.size());
        for (Response<Object> response : responses) {
            try {
                replies.add(response.get());
            } catch (JedisDataException e) {
                replies.add(e);
            }
        }
        return replies;
    }

    /**
     * The script's arguments: mode, cost, the number of limits, then capacity, T, P and refill period (ms) of each,
     * and its {@linkplain #signature signature}, stored with the limit's deficit. No time is among them: the script
     * reads the server's clock.
     */
    static List<String> args(Policy policy, long cost, boolean consume) {
        PolicyMath m = policy.math();
        List<String> args = new ArrayList<>(3 + 5 * m.size());
        args.add(consume ? "1" : "0");
        args.add(Long.toString(cost));
        args.add(Integer.toString(m.size()));
        for (int i = 0; i < m.size(); i++) {
            args.add(Long.toString(m.capacity(i)));
            args.add(Long.toString(m.unitsPerMicro(i)));
            args.add(Long.toString(m.unitsPerToken(i)));
            args.add(Long.toString(m.periodMillis(i)));
            args.add(signature(policy.limits().get(i)));
        }
        return args;
    }

    /**
     * What a bucket stores of each limit to recognise it after a policy change: capacity, refill tokens and refill
     * period in milliseconds, in base 36, joined by colons. The script derives T and P from it; base 36 keeps a
     * one-limit bucket's hash small enough for Redis to store it in its next smaller allocation.
     */
    static String signature(Limit limit) {
        return Long.toString(limit.capacity(), 36) + ":" + Long.toString(limit.refillTokens(), 36) + ":"
                + Long.toString(limit.refillPeriodMillis(), 36);
    }

    /**
     * The decision a reply {@code {allowed, n, remaining, reset, retry, ...}} describes; the headline figures are
     * those of the tightest limit (fewest whole tokens, ties to the longer reset), as the memory engine reports.
     */
    static Decision decision(Policy policy, Object reply) {
        if (!(reply instanceof List<?> values)
                || values.size() != 2 + 3 * policy.limits().size()) {
            throw new IllegalStateException("unexpected bucket script reply " + reply);
        }
        List<LimitStatus> statuses = new ArrayList<>(policy.limits().size());
        int tightest = 0;
        long retry = 0;
        for (int i = 0; i < policy.limits().size(); i++) {
            LimitStatus s = new LimitStatus(
                    policy.limits().get(i),
                    number(values, 2 + 3 * i),
                    number(values, 3 + 3 * i),
                    number(values, 4 + 3 * i));
            statuses.add(s);
            retry = Math.max(retry, s.retryAfterMillis());
            LimitStatus best = statuses.get(tightest);
            if (s.remaining() < best.remaining()
                    || (s.remaining() == best.remaining() && s.resetMillis() > best.resetMillis())) {
                tightest = i;
            }
        }
        LimitStatus t = statuses.get(tightest);
        boolean allowed = number(values, 0) == 1;
        return new Decision(
                allowed, t.remaining(), t.resetMillis(), retry, t.limit().capacity(), false, statuses);
    }

    private static long number(List<?> values, int index) {
        if (values.get(index) instanceof Long value) {
            return value;
        }
        throw new IllegalStateException("unexpected bucket script reply " + values);
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-1", e);
        }
    }
}
