package io.r8limiter.memory;

import io.r8limiter.Limit;
import io.r8limiter.Policy;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The token-bucket contract written the plain way, in exact rational arithmetic: tokens as fractions, refilled at
 * {@code refillTokens / periodMicros} per microsecond, clamped at capacity. The engines must agree with it exactly.
 */
final class ReferenceBucket {

    /** Expected figures of one limit. */
    record Figures(long remaining, long resetMillis, long retryAfterMillis) {}

    /** Expected decision: whether allowed and each limit's figures. */
    record Expected(boolean allowed, List<Figures> limits) {}

    private final Policy policy;
    private final BigInteger[] num;
    private final BigInteger[] den;
    private long lastMicros = Long.MIN_VALUE;

    ReferenceBucket(Policy policy) {
        this.policy = policy;
        int n = policy.limits().size();
        num = new BigInteger[n];
        den = new BigInteger[n];
        for (int i = 0; i < n; i++) {
            num[i] = BigInteger.valueOf(policy.limits().get(i).capacity());
            den[i] = BigInteger.ONE;
        }
    }

    Expected decide(long nowMicros, long cost, boolean consume) {
        refillTo(nowMicros);
        boolean allowed = true;
        for (int i = 0; i < num.length; i++) {
            allowed &= num[i].compareTo(den[i].multiply(BigInteger.valueOf(cost))) >= 0;
        }
        if (allowed && consume) {
            for (int i = 0; i < num.length; i++) {
                num[i] = num[i].subtract(den[i].multiply(BigInteger.valueOf(cost)));
            }
        }
        List<Figures> figures = new ArrayList<>();
        for (int i = 0; i < num.length; i++) {
            Limit l = policy.limits().get(i);
            long remaining = num[i].divide(den[i]).longValueExact();
            long reset = millisUntil(i, BigInteger.valueOf(l.capacity()));
            long retry = allowed ? 0 : millisUntil(i, BigInteger.valueOf(cost));
            figures.add(new Figures(remaining, reset, retry));
        }
        return new Expected(allowed, figures);
    }

    private void refillTo(long nowMicros) {
        if (lastMicros == Long.MIN_VALUE) {
            lastMicros = nowMicros;
            return;
        }
        long elapsed = Math.max(0, nowMicros - lastMicros);
        lastMicros = Math.max(lastMicros, nowMicros);
        for (int i = 0; i < num.length; i++) {
            Limit l = policy.limits().get(i);
            // tokens + elapsed * refillTokens / periodMicros, as one fraction
            BigInteger periodMicros = BigInteger.valueOf(l.refillPeriodMillis() * 1000);
            BigInteger n = num[i].multiply(periodMicros)
                    .add(den[i].multiply(BigInteger.valueOf(elapsed)).multiply(BigInteger.valueOf(l.refillTokens())));
            BigInteger d = den[i].multiply(periodMicros);
            BigInteger cap = BigInteger.valueOf(l.capacity());
            if (n.compareTo(cap.multiply(d)) >= 0) {
                num[i] = cap;
                den[i] = BigInteger.ONE;
            } else {
                BigInteger g = n.gcd(d);
                num[i] = n.divide(g);
                den[i] = d.divide(g);
            }
        }
    }

    /** Milliseconds until the tokens of limit {@code i} reach {@code target}, rounded up; 0 if already there. */
    private long millisUntil(int i, BigInteger target) {
        Limit l = policy.limits().get(i);
        BigInteger missingNum = target.multiply(den[i]).subtract(num[i]);
        if (missingNum.signum() <= 0) {
            return 0;
        }
        // missing / (refillTokens / periodMillis) milliseconds = missingNum * periodMillis / (den * refillTokens)
        BigInteger n = missingNum.multiply(BigInteger.valueOf(l.refillPeriodMillis()));
        BigInteger d = den[i].multiply(BigInteger.valueOf(l.refillTokens()));
        BigInteger[] qr = n.divideAndRemainder(d);
        return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
    }
}
