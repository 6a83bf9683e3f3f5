package io.r8limiter.sample;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.r8limiter.BucketKey;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /admin/stats}: decision totals and the users denied most, most denials first. */
@RestController
class StatsController {

    static final int MAX_LIMIT = 1000;

    private final LocalStats stats;

    StatsController(LocalStats stats) {
        this.stats = stats;
    }

    @GetMapping(path = "/admin/stats", produces = "application/json")
    StatsView stats(@RequestParam(name = "limit", required = false, defaultValue = "50") String limit) {
        int n = parseLimit(limit);
        List<Offender> offenders =
                stats.topOffenders(n).stream().map(StatsController::offender).toList();
        return new StatsView(new Totals(stats.allowed(), stats.denied()), offenders);
    }

    private static int parseLimit(String raw) {
        if (!raw.matches("[0-9]{1,4}") || Integer.parseInt(raw) < 1 || Integer.parseInt(raw) > MAX_LIMIT) {
            throw new IllegalArgumentException(
                    "limit must be an integer from 1 to " + MAX_LIMIT + " but was '" + Echo.of(raw, 40) + "'");
        }
        return Integer.parseInt(raw);
    }

    private static Offender offender(Map.Entry<BucketKey, Long> e) {
        List<String> parts = e.getKey().parts();
        return new Offender(parts.get(0), parts.size() > 1 ? parts.get(1) : null, e.getValue());
    }

    record StatsView(
            @JsonProperty("totals") Totals totals, @JsonProperty("top_offenders") List<Offender> topOffenders) {}

    record Totals(@JsonProperty("allowed") long allowed, @JsonProperty("denied") long denied) {}

    record Offender(
            @JsonProperty("user_id") String userId,
            @JsonProperty("resource") String resource,
            @JsonProperty("denied") long denied) {}
}
