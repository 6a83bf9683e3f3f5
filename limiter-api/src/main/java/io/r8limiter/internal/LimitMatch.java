package io.r8limiter.internal;

import java.util.Arrays;

/**
 * Which stored limit a limit of a changed policy takes its deficit from. Limits are recognised by what they are,
 * never by their position, so removing or reordering limits hands nobody a free burst; {@code bucket.lua} applies
 * the same rule in the same order.
 *
 * <p>Each limit of the new policy takes the first unclaimed stored limit with, in this order of preference: the same
 * refill rate (reduced {@code T} and {@code P}) and capacity; the same refill rate, so a capacity change keeps the
 * deficit; the same refill period, so a faster or slower refill of the same window keeps it too. Every new limit is
 * offered each kind of match before the next kind is tried, so a weaker match never takes an exact one's partner.
 * When exactly one limit is left unclaimed on each side, they are the same limit changed in both rate and period
 * (the only limit of a single-limit policy always is). A limit with no partner is new and starts full; a stored
 * limit with no partner was removed and its deficit is dropped.
 */
public final class LimitMatch {

    private static final int SAME_LIMIT = 0;
    private static final int SAME_RATE = 1;
    private static final int SAME_PERIOD = 2;

    private LimitMatch() {}

    /** For each limit of {@code next}, the index of the limit of {@code stored} it continues, or -1 if none. */
    public static int[] sources(PolicyMath stored, PolicyMath next) {
        int[] from = new int[next.size()];
        Arrays.fill(from, -1);
        boolean[] claimed = new boolean[stored.size()];
        for (int kind = SAME_LIMIT; kind <= SAME_PERIOD; kind++) {
            for (int i = 0; i < from.length; i++) {
                if (from[i] < 0) {
                    from[i] = claim(kind, next, i, stored, claimed);
                }
            }
        }
        pairLastOnes(from, claimed);
        return from;
    }

    private static int claim(int kind, PolicyMath next, int i, PolicyMath stored, boolean[] claimed) {
        for (int j = 0; j < claimed.length; j++) {
            if (!claimed[j] && matches(kind, next, i, stored, j)) {
                claimed[j] = true;
                return j;
            }
        }
        return -1;
    }

    private static boolean matches(int kind, PolicyMath a, int i, PolicyMath b, int j) {
        boolean sameRate = a.unitsPerMicro(i) == b.unitsPerMicro(j) && a.unitsPerToken(i) == b.unitsPerToken(j);
        return switch (kind) {
            case SAME_LIMIT -> sameRate && a.capacity(i) == b.capacity(j);
            case SAME_RATE -> sameRate;
            default -> a.periodMillis(i) == b.periodMillis(j);
        };
    }

    private static void pairLastOnes(int[] from, boolean[] claimed) {
        int open = onlyIndex(from, -1);
        int unclaimed = -1;
        int count = 0;
        for (int j = 0; j < claimed.length; j++) {
            if (!claimed[j]) {
                unclaimed = j;
                count++;
            }
        }
        if (open >= 0 && count == 1) {
            from[open] = unclaimed;
        }
    }

    /** The only index holding {@code value}, or -1 when there is none or more than one. */
    private static int onlyIndex(int[] values, int value) {
        int found = -1;
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }
}
