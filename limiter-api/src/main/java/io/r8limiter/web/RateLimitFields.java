package io.r8limiter.web;

import io.r8limiter.Limit;
import io.r8limiter.LimitStatus;
import io.r8limiter.internal.BucketMath;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Formats the {@code RateLimit-Policy} and {@code RateLimit} fields of the IETF httpapi draft (draft-10) as
 * Structured Field lists: one item per limit of the decision.
 *
 * <p>Everything that depends only on the policy, its whole {@code RateLimit-Policy} field and the quoted name that
 * starts each item, is built once per policy and kept in a small memo, since an adapter answers every request of a
 * route with the same policy. The memo is keyed by the policy's name and checked against the decision's limits, so
 * a policy changed at runtime gets its new fields on its first decision; it holds at most
 * {@value #MAX_MEMOIZED} policies and starts over past that.
 */
final class RateLimitFields {

    private static final int MAX_MEMOIZED = 256;
    private static final ConcurrentHashMap<String, RateLimitFields> MEMO = new ConcurrentHashMap<>();

    private final Limit[] limits;
    private final String[] items;
    private final String policyField;

    private RateLimitFields(String policy, List<LimitStatus> statuses) {
        int n = statuses.size();
        this.limits = new Limit[n];
        this.items = new String[n];
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Limit limit = statuses.get(i).limit();
            limits[i] = limit;
            items[i] = item(policy, i, n);
            long window = Math.max(1, seconds(limit.millisToFillFromEmpty()));
            if (i > 0) {
                field.append(", ");
            }
            field.append(items[i])
                    .append(";q=")
                    .append(limit.capacity())
                    .append(";w=")
                    .append(window);
        }
        this.policyField = field.toString();
    }

    /** The fields of the policy named {@code policy} whose limits {@code statuses} reports, from the memo. */
    static RateLimitFields of(String policy, List<LimitStatus> statuses) {
        RateLimitFields fields = MEMO.get(policy);
        if (fields != null && fields.describes(statuses)) {
            return fields;
        }
        fields = new RateLimitFields(policy, statuses);
        if (MEMO.size() >= MAX_MEMOIZED) {
            MEMO.clear();
        }
        MEMO.put(policy, fields);
        return fields;
    }

    /** {@code "name";q=capacity;w=seconds-to-fill-from-empty}, one item per limit. */
    String policy() {
        return policyField;
    }

    /** {@code "name";r=remaining;t=seconds}, one item per limit, for a decision that {@code denied} or not. */
    String current(List<LimitStatus> statuses, boolean denied) {
        StringBuilder sb = new StringBuilder(32 * items.length);
        for (int i = 0; i < items.length; i++) {
            LimitStatus status = statuses.get(i);
            long remaining =
                    Math.max(0, Math.min(status.remaining(), status.limit().capacity()));
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(items[i]).append(";r=").append(remaining).append(";t=").append(resetSeconds(status, denied));
        }
        return sb.toString();
    }

    private boolean describes(List<LimitStatus> statuses) {
        if (statuses.size() != limits.length) {
            return false;
        }
        for (int i = 0; i < limits.length; i++) {
            Limit limit = statuses.get(i).limit();
            if (limit != limits[i] && !limit.equals(limits[i])) {
                return false;
            }
        }
        return true;
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
    static long millisToNextToken(LimitStatus status) {
        Limit limit = status.limit();
        long missingAfterNext = limit.capacity() - status.remaining() - 1;
        long tokens = limit.refillTokens();
        long due = status.resetMillis() * tokens;
        long owed = missingAfterNext * limit.refillPeriodMillis();
        if (Math.multiplyHigh(status.resetMillis(), tokens) != 0
                || due < 0
                || Math.multiplyHigh(missingAfterNext, limit.refillPeriodMillis()) != 0
                || owed < 0) {
            return exactMillisToNextToken(status);
        }
        return due <= owed ? 1 : BucketMath.ceilDiv(due - owed, tokens);
    }

    /** {@link #millisToNextToken} for figures whose products exceed a long. */
    static long exactMillisToNextToken(LimitStatus status) {
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

    /** The quoted name of item {@code index} of {@code count}: the policy's name, with {@code -index} when several. */
    private static String item(String policy, int index, int count) {
        StringBuilder sb = new StringBuilder(policy.length() + 6).append('"');
        appendSfChars(sb, policy);
        if (count > 1) {
            sb.append('-').append(index);
        }
        return sb.append('"').toString();
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
