package io.r8limiter.bench.http;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Sends one connection's share of the schedule: requests {@code first}, {@code first + connections}, ... each due
 * at {@code start + i / rate}, and records each latency from the due time, not from when it was sent.
 *
 * <p>A connection that falls behind sends its next request at once, so the wait shows in the latencies of the
 * requests that follow (wrk2's correction for coordinated omission); nothing is skipped until the run has overrun
 * its end by the allowed margin, after which the rest is counted as unsent. Requests due in the warm-up are sent but
 * not recorded. A failed exchange counts as an error, is not recorded, and the next request reconnects.
 */
final class ScheduledSender implements Runnable {

    private final LoadSettings settings;
    private final int first;
    private final long start;
    private final long recordFrom;
    private final RawHttpConnection connection;

    /** Latencies in microseconds. */
    final Histogram latencies = new Histogram(3);

    long ok;
    long non2xx;
    long errors;
    long unsent;
    long lastDone;

    ScheduledSender(LoadSettings settings, int first, long start) {
        this.settings = settings;
        this.first = first;
        this.start = start;
        this.recordFrom = start + settings.warmup().toNanos();
        this.connection = new RawHttpConnection(settings.host(), settings.port(), settings.timeout());
    }

    @Override
    public void run() {
        long total = settings.scheduled();
        long hardStop =
                recordFrom + settings.duration().toNanos() + settings.overrun().toNanos();
        double nanosPerRequest = 1e9 / settings.rate();
        int step = settings.connections();
        try (connection) {
            for (long i = first; i < total; i += step) {
                if (System.nanoTime() > hardStop) {
                    unsent = (total - i + step - 1) / step;
                    return;
                }
                long due = start + (long) (i * nanosPerRequest);
                sleepUntil(due);
                send(i, due, due >= recordFrom);
            }
        }
    }

    /** Nanoseconds from the end of the warm-up to this connection's last recorded answer. */
    long measuredNanos() {
        return lastDone == 0 ? 0 : lastDone - recordFrom;
    }

    private void send(long index, long due, boolean record) {
        int status;
        try {
            status = connection.exchange(settings.request(index));
        } catch (IOException | RuntimeException e) {
            if (record) {
                errors++;
            }
            return;
        }
        long done = System.nanoTime();
        if (record) {
            latencies.recordValue(Math.max(0, (done - due) / 1000));
            if (status / 100 == 2) {
                ok++;
            } else {
                non2xx++;
            }
            lastDone = done;
        }
    }

    private static void sleepUntil(long due) {
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }
}
