package io.r8limiter.bench.http;

import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The totals of an {@link OpenLoop} run over all its connections, and how they are printed. */
record LoadSummary(
        LoadSettings settings, Histogram latencies, long ok, long non2xx, long errors, long unsent, long nanos) {

    static LoadSummary of(LoadSettings settings, List<ScheduledSender> senders) {
        Histogram all = new Histogram(3);
        long ok = 0;
        long non2xx = 0;
        long errors = 0;
        long unsent = 0;
        long nanos = 0;
        for (ScheduledSender s : senders) {
            all.add(s.latencies);
            ok += s.ok;
            non2xx += s.non2xx;
            errors += s.errors;
            unsent += s.unsent;
            nanos = Math.max(nanos, s.measuredNanos());
        }
        return new LoadSummary(settings, all, ok, non2xx, errors, unsent, nanos);
    }

    /** Answers received per second from the end of the warm-up to the last answer. */
    double achieved() {
        return nanos == 0 ? 0 : (ok + non2xx) * 1e9 / nanos;
    }

    /** The latency at {@code percentile} in milliseconds. */
    double ms(double percentile) {
        return latencies.getValueAtPercentile(percentile) / 1000.0;
    }

    List<String> lines() {
        LoadSettings s = settings;
        return List.of(
                format(
                        "open-loop: %s %s:%d%s at %.0f req/s for %ds over %d connections, %d users",
                        s.method(),
                        s.host(),
                        s.port(),
                        s.target(),
                        s.rate(),
                        s.duration().toSeconds(),
                        s.connections(),
                        s.users()),
                format(
                        "achieved %.1f req/s: %d answers (%d not 2xx), %d errors, %d unsent",
                        achieved(), ok + non2xx, non2xx, errors, unsent),
                format(
                        "latency from the scheduled time (ms): p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f",
                        ms(50), ms(90), ms(99), ms(99.9), ms(100)),
                format(
                        "open-loop-result rate=%.0f achieved=%.1f count=%d non2xx=%d errors=%d unsent=%d"
                                + " p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f",
                        s.rate(),
                        achieved(),
                        ok + non2xx,
                        non2xx,
                        errors,
                        unsent,
                        ms(50),
                        ms(90),
                        ms(99),
                        ms(99.9),
                        ms(100)));
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
