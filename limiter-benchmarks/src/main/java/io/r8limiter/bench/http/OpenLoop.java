package io.r8limiter.bench.http;

import java.util.ArrayList;
import java.util.List;

/**
 * An open-loop, fixed-rate HTTP/1.1 load generator: request {@code i} is due at {@code t0 + i / rate} whatever the
 * server does, and its latency is measured from that due time into an HdrHistogram, as wrk2 does.
 *
 * <p>Each of {@code --connections} keep-alive connections has its own thread and sends every
 * {@code connections}-th request of the schedule, so a slow answer delays the requests behind it on that connection
 * and that delay is part of their latency. Run without arguments for the usage. Prints the achieved rate, the counts
 * and p50, p90, p99, p99.9 and max in milliseconds, then one {@code open-loop-result key=value ...} line for
 * scripts. Exits with 1 when the arguments are wrong. The generator's own timer wake-up (tens of microseconds on
 * Linux) is part of every latency: it measures the client and server together, on the same machine.
 *
 * @since 0.1
 */
public final class OpenLoop {

    private OpenLoop() {}

    public static void main(String[] args) throws InterruptedException {
        LoadSettings settings;
        try {
            settings = LoadSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("open-loop: " + e.getMessage());
            System.exit(1);
            return;
        }
        report(settings, run(settings));
    }

    /** Runs the whole schedule and returns each connection's sender once all have finished. */
    static List<ScheduledSender> run(LoadSettings settings) throws InterruptedException {
        long start = System.nanoTime() + 100_000_000L;
        List<ScheduledSender> senders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < settings.connections(); c++) {
            ScheduledSender sender = new ScheduledSender(settings, c, start);
            senders.add(sender);
            threads.add(new Thread(sender, "open-loop-" + c));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        return senders;
    }

    private static void report(LoadSettings settings, List<ScheduledSender> senders) {
        LoadSummary.of(settings, senders).lines().forEach(System.out::println);
    }
}
