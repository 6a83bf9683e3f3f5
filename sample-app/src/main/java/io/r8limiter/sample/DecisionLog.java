package io.r8limiter.sample;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.DecisionListener;
import io.r8limiter.Policy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Logs denials: each one at DEBUG, and at most one INFO summary a minute with the counts. User ids never appear in
 * clear: a denial names a short SHA-256 digest of the bucket key, enough to correlate lines without revealing who.
 */
@Component
class DecisionLog implements DecisionListener {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);

    private final LongAdder allowed = new LongAdder();
    private final LongAdder denied = new LongAdder();
    private final LongAdder degraded = new LongAdder();

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

    /** The summary of the last minute, logged only when something was denied or degraded. */
    @Scheduled(fixedDelayString = "${r8limiter.sample.summary-interval:60s}")
    void summarize() {
        long a = allowed.sumThenReset();
        long d = denied.sumThenReset();
        long g = degraded.sumThenReset();
        if (d > 0 || g > 0) {
            LOG.info("decisions since the last summary: allowed={} denied={} degraded={}", a, d, g);
        }
    }

    /** A short, stable digest of a key: the first 12 hex digits of its SHA-256. */
    static String digest(BucketKey key) {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256").digest(key.encoded().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
