package io.r8limiter.sample;

import io.r8limiter.PolicyEntry;
import io.r8limiter.RateLimiter;
import io.r8limiter.redis.RedisBackend;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Says once, when the service is ready, which backend decides, which policies are in force and where admin is. */
@Component
class StartupReport {

    private static final Logger LOG = LoggerFactory.getLogger(StartupReport.class);

    private final RateLimiter limiter;
    private final Environment environment;

    StartupReport(RateLimiter limiter, Environment environment) {
        this.limiter = limiter;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        String policies =
                limiter.policies().list().stream().map(StartupReport::describe).collect(Collectors.joining(", "));
        LOG.info(
                "r8limiter decision service ready on port {}: backend={}, failure-mode={}, policies=[{}], "
                        + "decisions at POST /allow, admin API at /admin (bearer token)",
                environment.getProperty("local.server.port", "?"),
                limiter.backend().name(),
                limiter.backend() instanceof RedisBackend redis
                        ? redis.failureMode().name().toLowerCase(Locale.ROOT)
                        : "none (in memory)",
                policies);
    }

    private static String describe(PolicyEntry entry) {
        return entry.policy().name() + " "
                + entry.policy().limits().stream()
                        .map(l -> l.capacity() + " per " + l.refillPeriodMillis() + " ms")
                        .collect(Collectors.joining(" and "));
    }
}
