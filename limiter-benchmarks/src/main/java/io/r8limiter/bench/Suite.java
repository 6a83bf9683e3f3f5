package io.r8limiter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the whole comparison with short settings (one fork, 2 x 1 s warm-up, 3 x 1 s measured per figure) and writes
 * a Markdown summary with the ratio of r8limiter to each peer next to the machine's load.
 *
 * <p>Arguments pick the parts: {@code memory} (one key, 1, 2 and 16 threads), {@code keys} (10,000 keys),
 * {@code redis} (1, 2, 8 and 16 threads), {@code redis-paired} (the Redis peers in interleaved rounds),
 * {@code redis-batches} (the server's CPU time per decision by pipeline size), {@code heap}
 * (bytes per key, C11 run 3, stats), {@code redis-memory}; none runs them all. {@code -Dbench.out=DIR} chooses
 * where the summary goes ({@code bench-results} by default).
 */
public final class Suite {

    private static final int[] MEMORY_THREADS = {1, 2, 16};
    private static final int[] REDIS_THREADS = {1, 2, 8, 16};

    /** Every part, in the order a run without arguments takes them. */
    private static final List<String> PARTS =
            List.of("memory", "keys", "redis", "redis-paired", "redis-batches", "heap", "redis-memory");

    private final List<String> report = new ArrayList<>();

    private Suite() {}

    public static void main(String[] args) throws Exception {
        List<String> parts = args.length == 0 ? PARTS : List.of(args);
        for (String part : parts) {
            if (!PARTS.contains(part)) {
                // said before anything runs, so a typo in the last part does not cost the run of the others
                System.err.println("unknown part '" + part + "'; the parts are " + String.join(", ", PARTS));
                System.exit(2);
            }
        }
        Suite suite = new Suite();
        suite.line("# r8limiter benchmark run, " + java.time.Instant.now());
        suite.line("");
        suite.line("Java " + System.getProperty("java.vm.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, load at start " + load());
        for (String part : parts) {
            suite.run(part);
        }
        suite.write();
    }

    private void run(String part) throws Exception {
        switch (part) {
            case "memory" -> jmh("In memory, one key", MemoryOneKeyBenchmark.class, MEMORY_THREADS, true);
            case "keys" -> jmh("In memory, 10,000 keys", MemoryManyKeysBenchmark.class, MEMORY_THREADS, true);
            case "redis" -> jmh("Redis, one hot key", RedisBenchmark.class, REDIS_THREADS, false);
            case "heap" -> section("Heap", HeapFootprint.measureAll());
            case "redis-memory" -> section("Redis MEMORY USAGE", RedisMemoryUsage.measure());
            case "redis-paired" -> section("Redis, interleaved rounds", RedisPaired.measure());
            case "redis-batches" ->
                section("Redis server cost per decision by pipeline size", RedisBatchCost.measure());
            default -> throw new IllegalArgumentException("unknown part '" + part + "'");
        }
    }

    private void section(String title, List<String> lines) {
        line("");
        line("## " + title + " (load " + load() + ")");
        line("");
        lines.forEach(l -> line("- " + l));
    }

    private void jmh(String title, Class<?> benchmark, int[] threads, boolean gc) throws RunnerException {
        line("");
        line("## " + title);
        for (int t : threads) {
            String before = load();
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include(benchmark.getName() + "\\.")
                    .threads(t)
                    .forks(Integer.getInteger("bench.forks", 1))
                    .warmupIterations(Integer.getInteger("bench.warmups", 2))
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(Integer.getInteger("bench.iterations", 3))
                    .measurementTime(TimeValue.seconds(1))
                    .jvmArgsAppend("-Xms1g", "-Xmx1g");
            if (gc) {
                options.addProfiler(GCProfiler.class);
            }
            Collection<RunResult> results = new Runner(options.build()).run();
            table(t, results, before + " -> " + load());
        }
    }

    private void table(int threads, Collection<RunResult> results, String load) {
        Map<String, RunResult> byName = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            byName.put(name.substring(name.lastIndexOf('.') + 1), r);
        }
        line("");
        line("### " + threads + " thread" + (threads == 1 ? "" : "s") + " (load " + load + ")");
        line("");
        line("| benchmark | throughput (ops/s) | mean (ns/op) | p99 (us) | alloc (B/op) | r8limiter / this |");
        line("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (Map.Entry<String, RunResult> e : byName.entrySet()) {
            Figures f = Figures.of(e.getValue(), threads);
            Figures r8 = reference(byName, e.getKey(), threads);
            String ratio = r8 == null ? "" : String.format("%.2f", r8.opsPerSecond / f.opsPerSecond);
            line(String.format(
                    "| %s | %,.0f | %.1f | %s | %s | %s |",
                    e.getKey(),
                    f.opsPerSecond,
                    f.meanNanos,
                    Double.isNaN(f.p99Micros) ? "" : String.format("%.1f", f.p99Micros),
                    Double.isNaN(f.allocBytes) ? "" : String.format("%.0f", f.allocBytes),
                    ratio));
        }
    }

    /** The r8limiter figure a row is compared with: r8limiter's row of the same prefix ({@code allowed_}, ...). */
    private static Figures reference(Map<String, RunResult> byName, String name, int threads) {
        String prefix = name.contains("_") ? name.substring(0, name.indexOf('_') + 1) : "";
        RunResult r8 = byName.get(prefix + "r8limiter");
        return r8 == null ? null : Figures.of(r8, threads);
    }

    private record Figures(double opsPerSecond, double meanNanos, double p99Micros, double allocBytes) {
        static Figures of(RunResult r, int threads) {
            Result<?> primary = r.getPrimaryResult();
            double alloc = secondary(r, "gc.alloc.rate.norm");
            if (primary.getScoreUnit().equals("ops/us")) {
                double ops = primary.getScore() * 1e6;
                return new Figures(ops, threads * 1e9 / ops, Double.NaN, alloc);
            }
            double meanMicros = primary.getScore();
            double p99 = primary.getStatistics().getPercentile(99);
            return new Figures(threads * 1e6 / meanMicros, meanMicros * 1e3, p99, alloc);
        }

        private static double secondary(RunResult r, String label) {
            Result<?> result = r.getSecondaryResults().get(label);
            return result == null ? Double.NaN : result.getScore();
        }
    }

    private void line(String text) {
        report.add(text);
        System.out.println(text);
    }

    private void write() throws IOException {
        Path dir = Path.of(System.getProperty("bench.out", "bench-results"));
        Files.createDirectories(dir);
        Path file = dir.resolve("summary-" + System.currentTimeMillis() / 1000 + ".md");
        Files.write(file, report);
        System.out.println("summary written to " + file.toAbsolutePath());
    }

    private static String load() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
