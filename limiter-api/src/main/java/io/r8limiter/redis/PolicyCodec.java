package io.r8limiter.redis;

import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.PolicyEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The text form of a policy override in Redis: {@code 1|<version>|<shadow>|<limits>}, where {@code 1} is the
 * format, {@code <shadow>} is {@code 0} or {@code 1} and {@code <limits>} lists
 * {@code capacity/refillTokens/refillPeriodMillis} separated by commas, such as
 * {@code 1|7|0|100/100/60000,1000/1000/3600000}. The policy's name is the hash field.
 */
final class PolicyCodec {

    private PolicyCodec() {}

    /** The part after the version: {@code <shadow>|<limits>}. */
    static String encodeBody(Policy policy) {
        StringBuilder sb = new StringBuilder(policy.shadow() ? "1|" : "0|");
        for (Limit limit : policy.limits()) {
            if (sb.length() > 2) {
                sb.append(',');
            }
            sb.append(limit.capacity())
                    .append('/')
                    .append(limit.refillTokens())
                    .append('/')
                    .append(limit.refillPeriodMillis());
        }
        return sb.toString();
    }

    /**
     * The override stored under {@code name}.
     *
     * @throws IllegalArgumentException when the value is not in this format or describes an invalid policy
     */
    static PolicyEntry decode(String name, String value) {
        String[] fields = value.split("\\|", -1);
        if (fields.length != 4 || !fields[0].equals("1") || !(fields[2].equals("0") || fields[2].equals("1"))) {
            throw new IllegalArgumentException("policy override '" + name + "' has an unknown format: " + value);
        }
        List<Limit> limits = new ArrayList<>();
        for (String limit : fields[3].split(",", -1)) {
            String[] numbers = limit.split("/", -1);
            if (numbers.length != 3) {
                throw new IllegalArgumentException("policy override '" + name + "' has a bad limit: " + limit);
            }
            limits.add(Limit.of(
                    Long.parseLong(numbers[0]),
                    Long.parseLong(numbers[1]),
                    Duration.ofMillis(Long.parseLong(numbers[2]))));
        }
        Policy policy = Policy.of(name, limits).withShadow(fields[2].equals("1"));
        return new PolicyEntry(policy, Long.parseLong(fields[1]), PolicyEntry.Source.OVERRIDE);
    }
}
