package io.r8limiter.sample;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.r8limiter.stats.Offender;
import io.r8limiter.stats.RateLimitStats;
import io.r8limiter.stats.Totals;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admin/stats?limit=50}: decision totals over the stats window and the users denied most, most denials
 * first. With Redis the figures are fleet-wide; in memory they are this instance's.
 */
@RestController
class StatsController {

    /** The most offenders one call may ask for. */
    static final int MAX_LIMIT = 1000;

    private final @Nullable RateLimitStats stats;

    /** {@code stats} is absent when {@code r8limiter.stats.enabled=false}; the endpoint then answers 404. */
    StatsController(ObjectProvider<RateLimitStats> stats) {
        this.stats = stats.getIfAvailable();
    }

    @GetMapping(path = "/admin/stats", produces = "application/json")
    StatsView stats(HttpServletRequest request) {
        String limit = SingleParameters.get(request, "limit");
        int n = parseLimit(limit == null ? "50" : limit);
        RateLimitStats stats = this.stats;
        if (stats == null) {
            throw new NotFoundException("statistics are off on this instance (r8limiter.stats.enabled=false)");
        }
        Totals totals = stats.totals();
        List<OffenderView> offenders =
                stats.topOffenders(n).stream().map(OffenderView::of).toList();
        return new StatsView(
                new TotalsView(totals.allowed(), totals.denied(), totals.degraded()),
                stats.window().toMillis(),
                offenders);
    }

    private static int parseLimit(String raw) {
        if (!raw.matches("[0-9]{1,4}") || Integer.parseInt(raw) < 1 || Integer.parseInt(raw) > MAX_LIMIT) {
            throw new IllegalArgumentException(
                    "limit must be an integer from 1 to " + MAX_LIMIT + " but was '" + Echo.of(raw, 40) + "'");
        }
        return Integer.parseInt(raw);
    }

    record StatsView(
            @JsonProperty("totals") TotalsView totals,
            @JsonProperty("window_ms") long windowMillis,
            @JsonProperty("top_offenders") List<OffenderView> topOffenders) {}

    record TotalsView(
            @JsonProperty("allowed") long allowed,
            @JsonProperty("denied") long denied,
            @JsonProperty("degraded") long degraded) {}

    /**
     * One offender: the key's parts as the caller sent them, the deciding policy and the denials counted. Counts come
     * from a Space-Saving summary: {@code exact} says whether {@code denied} is the true count; when it is not,
     * {@code max_overcount} bounds the error, the true count lying in {@code [denied - max_overcount, denied]}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OffenderView(
            @JsonProperty("user_id") String userId,
            @JsonProperty("resource") @Nullable String resource,
            @JsonProperty("policy") String policy,
            @JsonProperty("denied") long denied,
            @JsonProperty("exact") boolean exact,
            @JsonProperty("max_overcount") @Nullable Long maxOvercount) {

        static OffenderView of(Offender o) {
            List<String> parts = o.key().parts();
            return new OffenderView(
                    parts.get(0),
                    parts.size() > 1 ? parts.get(1) : null,
                    o.policy(),
                    o.denied(),
                    o.exact(),
                    o.exact() ? null : o.error());
        }
    }
}
