package io.r8limiter.micrometer;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.DecisionListener;
import io.r8limiter.Policy;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.memory.MemoryBackend;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Publishes every decision to Micrometer: add it to a limiter with {@code RateLimiter.builder().listener(metrics)}
 * and bind it to a registry with {@link #bindTo(MeterRegistry)}.
 *
 * <p>Meters: {@value #DECISIONS} (counter; tags {@code policy}, {@code outcome} allowed|denied, {@code degraded},
 * {@code shadow}), {@value #LATENCY} (timer with a percentile histogram; tag {@code backend}; in memory it samples one
 * decision in 64, since timing each would cost as much as the decision), {@value #CIRCUIT}
 * (gauge per {@code state}, 1 for the current one, when a circuit state is supplied) and {@value #MEMORY_KEYS}
 * (live buckets of an in-memory backend). Policy names are the only open-ended tag and come from configuration or
 * the policy store, never from callers. Decisions heard before binding are not counted.
 *
 * @since 0.1
 */
public final class RateLimiterMetrics implements DecisionListener, MeterBinder {

    /** Decision counter name. */
    public static final String DECISIONS = "r8limiter.decisions";
    /** Backend latency timer name. */
    public static final String LATENCY = "r8limiter.backend.latency";
    /** Circuit state gauge name. */
    public static final String CIRCUIT = "r8limiter.circuit.state";
    /** Live in-memory keys gauge name. */
    public static final String MEMORY_KEYS = "r8limiter.memory.keys";

    private static final List<String> STATES = List.of("closed", "open", "half_open");

    private final RateLimitBackend backend;
    private final @Nullable Supplier<String> circuitState;
    private final Map<String, Counter[]> counters = new ConcurrentHashMap<>();
    private volatile @Nullable MeterRegistry registry;
    private volatile @Nullable Timer latency;

    /**
     * Metrics for decisions made on {@code backend}.
     *
     * @param circuitState the backend's circuit state (closed, open or half_open), or {@code null} if it has none
     */
    public RateLimiterMetrics(RateLimitBackend backend, @Nullable Supplier<String> circuitState) {
        this.backend = requireNonNull(backend, "backend");
        this.circuitState = circuitState;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.latency = Timer.builder(LATENCY)
                .description("Time the backend took to decide")
                .tag("backend", backend.name())
                .publishPercentileHistogram()
                .register(registry);
        Supplier<String> state = circuitState;
        if (state != null) {
            for (String s : STATES) {
                Gauge.builder(CIRCUIT, state, current -> s.equals(current.get()) ? 1 : 0)
                        .description("1 for the backend's current circuit state")
                        .tag("state", s)
                        .register(registry);
            }
        }
        if (backend instanceof MemoryBackend memory) {
            Gauge.builder(MEMORY_KEYS, memory, MemoryBackend::size)
                    .description("Buckets held in memory")
                    .register(registry);
        }
        this.registry = registry;
    }

    @Override
    public void onDecision(Policy policy, BucketKey key, Decision decision, long backendNanos) {
        MeterRegistry r = registry;
        Timer t = latency;
        if (r == null || t == null) {
            return;
        }
        if (backendNanos != DecisionListener.NOT_TIMED) {
            t.record(backendNanos, TimeUnit.NANOSECONDS);
        }
        Counter[] byOutcome =
                counters.computeIfAbsent(policy.name() + (policy.shadow() ? "\0s" : ""), name -> register(r, policy));
        byOutcome[(decision.allowed() ? 0 : 1) + (decision.degraded() ? 2 : 0)].increment();
    }

    private static Counter[] register(MeterRegistry registry, Policy policy) {
        Counter[] c = new Counter[4];
        c[0] = counter(registry, policy, "allowed", false);
        c[1] = counter(registry, policy, "denied", false);
        c[2] = counter(registry, policy, "allowed", true);
        c[3] = counter(registry, policy, "denied", true);
        return c;
    }

    private static Counter counter(MeterRegistry registry, Policy policy, String outcome, boolean degraded) {
        return Counter.builder(DECISIONS)
                .description("Rate-limit decisions by policy and outcome")
                .tag("policy", policy.name())
                .tag("outcome", outcome)
                .tag("degraded", Boolean.toString(degraded))
                .tag("shadow", Boolean.toString(policy.shadow()))
                .register(registry);
    }
}
