package io.r8limiter.sample;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.DecisionListener;
import io.r8limiter.Policy;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/**
 * Decision totals and denials per bucket key, counted in this process. At most {@value #MAX_KEYS} keys are tracked;
 * denials of keys beyond that still count in the totals.
 */
@Component
class LocalStats implements DecisionListener {

    static final int MAX_KEYS = 10_000;

    private final LongAdder allowed = new LongAdder();
    private final LongAdder denied = new LongAdder();
    private final Map<BucketKey, LongAdder> deniedByKey = new ConcurrentHashMap<>();

    @Override
    public void onDecision(Policy policy, BucketKey key, Decision decision, long backendNanos) {
        if (decision.allowed()) {
            allowed.increment();
            return;
        }
        denied.increment();
        LongAdder count = deniedByKey.get(key);
        if (count == null && deniedByKey.size() < MAX_KEYS) {
            count = deniedByKey.computeIfAbsent(key, k -> new LongAdder());
        }
        if (count != null) {
            count.increment();
        }
    }

    long allowed() {
        return allowed.sum();
    }

    long denied() {
        return denied.sum();
    }

    /** The keys with the most denials, most first. */
    List<Map.Entry<BucketKey, Long>> topOffenders(int limit) {
        return deniedByKey.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
                .sorted(Map.Entry.<BucketKey, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(limit)
                .toList();
    }
}
