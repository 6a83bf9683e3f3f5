package io.r8limiter.sample;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.DecisionListener;
import io.r8limiter.Policy;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Logs denials: each one at DEBUG, and at most one INFO summary per {@code r8limiter.sample.summary-interval} (a
 * minute by default) with the counts. User ids never appear in clear: a denial names a 48-bit HMAC-SHA256 digest of
 * the bucket key, enough to correlate lines without revealing who. The HMAC key is
 * {@code r8limiter.sample.log-digest-key} when set (give every instance the same one to correlate across a fleet),
 * else random for this process; either way a short or guessable id cannot be recovered by hashing candidates.
 */
@Component
class DecisionLog implements DecisionListener {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec digestKey;
    private final LongAdder allowed = new LongAdder();
    private final LongAdder denied = new LongAdder();
    private final LongAdder degraded = new LongAdder();

    DecisionLog(@Value("${r8limiter.sample.log-digest-key:}") String digestKey) {
        byte[] key = digestKey.isEmpty() ? randomKey() : digestKey.getBytes(StandardCharsets.UTF_8);
        this.digestKey = new SecretKeySpec(key, HMAC);
    }

    @Override
    public void onDecision(Policy policy, BucketKey key, Decision decision, long backendNanos) {
        (decision.allowed() ? allowed : denied).increment();
        if (decision.degraded()) {
            degraded.increment();
        }
        if (decision.denied() && LOG.isDebugEnabled()) {
            LOG.debug(
                    "denied policy={} key={} retry_after_ms={}",
                    policy.name(),
                    digest(key),
                    decision.retryAfterMillis());
        }
    }

    /** The summary since the last one, logged only when something was denied or degraded. */
    @Scheduled(fixedDelayString = "${r8limiter.sample.summary-interval:60s}")
    void summarize() {
        long a = allowed.sumThenReset();
        long d = denied.sumThenReset();
        long g = degraded.sumThenReset();
        if (d > 0 || g > 0) {
            LOG.info("decisions since the last summary: allowed={} denied={} degraded={}", a, d, g);
        }
    }

    /** A short, stable digest of a key: the first 12 hex digits of its HMAC-SHA256 under this log's key. */
    String digest(BucketKey key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(digestKey);
            byte[] hash = mac.doFinal(key.encoded().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
