package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.Decision;
import io.r8limiter.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import redis.clients.jedis.UnifiedJedis;

/**
 * The bucket script with the clock taken from its last argument instead of Redis {@code TIME}: a test-only variant
 * built from the production text, so both run the same arithmetic. Production code has no way to load it. Keys
 * live for ten minutes of real time instead of their time to full, which the fake clock would not match.
 */
final class TestScripts {

    /** Every reading of the server clock: the single-limit path and the general one each read it once. */
    private static final String SERVER_CLOCK = "tonumber(clock[1]) * 1000000 + tonumber(clock[2])";

    /** Every expiry set on a bucket after a decision, named {@code ttl} or {@code reset} in the script. */
    private static final Pattern EXPIRY = Pattern.compile("redis\\.call\\('PEXPIRE', key, (ttl|reset)\\)");

    private final String body;

    private TestScripts(String body) {
        this.body = body;
    }

    static TestScripts withClockArgument() {
        String production = BucketScript.load().body();
        assertThat(production.split(Pattern.quote(SERVER_CLOCK), -1)).hasSize(3);
        assertThat(EXPIRY.matcher(production).results()).hasSize(4);
        // the expiry runs on the real clock, which would end buckets early on the fake one: keep keys for the test
        String clockArgument = production.replace(SERVER_CLOCK, "tonumber(ARGV[#ARGV])");
        return new TestScripts(EXPIRY.matcher(clockArgument).replaceAll("redis.call('PEXPIRE', key, 600000)"));
    }

    /** A decision made by the script at {@code nowMicros} (server time) on {@code key}. */
    Decision decide(UnifiedJedis jedis, String key, Policy policy, long cost, boolean consume, long nowMicros) {
        List<String> args = new ArrayList<>(BucketScript.args(policy, cost, consume));
        args.add(Long.toString(nowMicros));
        return BucketScript.decision(policy, jedis.eval(body, List.of(key), args));
    }
}
