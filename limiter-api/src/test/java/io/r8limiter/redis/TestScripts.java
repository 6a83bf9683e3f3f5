package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.Decision;
import io.r8limiter.Policy;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * The bucket script with the clock taken from its last argument instead of Redis {@code TIME}: a test-only variant
 * built from the production text, so both run the same arithmetic. Production code has no way to load it. Keys
 * live for ten minutes of real time instead of their time to full, which the fake clock would not match.
 */
final class TestScripts {

    private static final String SERVER_CLOCK =
            "local clock = redis.call('TIME')\nlocal now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])\n";

    private static final String EXPIRY = "redis.call('PEXPIRE', key, ttl)";

    private final String body;

    private TestScripts(String body) {
        this.body = body;
    }

    static TestScripts withClockArgument() {
        String production = BucketScript.load().body();
        assertThat(production).contains(SERVER_CLOCK).contains(EXPIRY);
        // the expiry runs on the real clock, which would end buckets early on the fake one: keep keys for the test
        return new TestScripts(production
                .replace(SERVER_CLOCK, "local now = tonumber(ARGV[#ARGV])\n")
                .replace(EXPIRY, "redis.call('PEXPIRE', key, 600000)"));
    }

    /** A decision made by the script at {@code nowMicros} (server time) on {@code key}. */
    Decision decide(UnifiedJedis jedis, String key, Policy policy, long cost, boolean consume, long nowMicros) {
        List<String> args = new ArrayList<>(BucketScript.args(policy, cost, consume));
        args.add(Long.toString(nowMicros));
        return BucketScript.decision(policy, jedis.eval(body, List.of(key), args));
    }
}
