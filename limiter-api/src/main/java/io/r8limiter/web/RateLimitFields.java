package io.r8limiter.web;

import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.LimitStatus;
import io.r8limiter.internal.BucketMath;
import java.math.BigInteger;
import java.util.List;

/**
 * Formats the {@code RateLimit-Policy} and {@code RateLimit} fields of the IETF httpapi draft (draft-10) as
 * Structured Field lists: one item per limit of the decision.
 */
final class RateLimitFields {

    private RateLimitFields() {}

    /** {@code "name";q=capacity;w=seconds-to-fill-from-empty}, one item per limit. */
    static String policy(String policy, Decision decision) {
        List<LimitStatus> limits = decision.limits();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < limits.size(); i++) {
            Limit limit = limits.get(i).limit();
            long window = Math.max(1, seconds(limit.millisToFillFromEmpty()));
            item(sb, policy, i, limits.size())
                    .append(";q=")
                    .append(limit.capacity())
                    .append(";w=")
                    .append(window);
        }
        return sb.toString();
    }

    /** {@code "name";r=remaining;t=seconds}, one item per limit. */
    static String current(String policy, Decision decision) {
        List<LimitStatus> limits = decision.limits();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < limits.size(); i++) {
            LimitStatus status = limits.get(i);
            long remaining =
                    Math.max(0, Math.min(status.remaining(), status.limit().capacity()));
            item(sb, policy, i, limits.size())
                    .append(";r=")
                    .append(remaining)
                    .append(";t=")
                    .append(resetSeconds(status, decision.denied()));
        }
        return sb.toString();
    }

    /** Whole seconds, rounded up, in {@code millis}; 0 for 0 or less. */
    static long seconds(long millis) {
        return millis <= 0 ? 0 : BucketMath.ceilDiv(millis, 1000);
    }

    /**
     * When denied and this limit is what blocks the request, the seconds until the request fits it; otherwise the
     * seconds until the next whole token, 0 when the bucket is full.
     */
    static long resetSeconds(LimitStatus status, boolean denied) {
        if (denied && status.retryAfterMillis() > 0) {
            return Math.max(1, seconds(status.retryAfterMillis()));
        }
        Limit limit = status.limit();
        if (status.resetMillis() <= 0 || status.remaining() >= limit.capacity()) {
            return 0;
        }
        return Math.max(1, seconds(millisToNextToken(status)));
    }

    /**
     * The reset (time to full) less the time of the whole tokens still missing after the next one: one token is
     * {@code period / refillTokens} milliseconds, so the exact value is
     * {@code (reset * refillTokens - missing * period) / refillTokens}, rounded up.
     */
    private static long millisToNextToken(LimitStatus status) {
        Limit limit = status.limit();
        long missingAfterNext = limit.capacity() - status.remaining() - 1;
        BigInteger tokens = BigInteger.valueOf(limit.refillTokens());
        BigInteger numerator = BigInteger.valueOf(status.resetMillis())
                .multiply(tokens)
                .subtract(
                        BigInteger.valueOf(missingAfterNext).multiply(BigInteger.valueOf(limit.refillPeriodMillis())));
        if (numerator.signum() <= 0) {
            return 1;
        }
        BigInteger[] qr = numerator.divideAndRemainder(tokens);
        return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
    }

    private static StringBuilder item(StringBuilder sb, String policy, int index, int count) {
        if (sb.length() > 0) {
            sb.append(", ");
        }
        sb.append('"');
        appendSfChars(sb, policy);
        if (count > 1) {
            sb.append('-').append(index);
        }
        return sb.append('"');
    }

    /** A Structured Field string holds printable ASCII only: escape quote and backslash, replace the rest. */
    private static void appendSfChars(StringBuilder sb, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append('_');
            } else {
                sb.append(c);
            }
        }
    }
}
