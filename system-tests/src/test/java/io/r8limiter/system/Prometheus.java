package io.r8limiter.system;

import java.util.ArrayList;
import java.util.List;

/** A scrape of {@code /actuator/prometheus}, read as sample lines ({@code name{labels} value}). */
final class Prometheus {

    private final List<String> samples;

    private Prometheus(List<String> samples) {
        this.samples = samples;
    }

    static Prometheus scrape(Http http, AppProcess app) {
        Http.Reply reply = http.get(app.uri("/actuator/prometheus"));
        if (reply.status() != 200) {
            throw new IllegalStateException("prometheus scrape of " + app + " answered " + reply.status());
        }
        List<String> samples = new ArrayList<>();
        for (String line : reply.body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(line);
            }
        }
        return new Prometheus(samples);
    }

    /** The sample lines (series) whose name starts with {@code prefix}. */
    List<String> series(String prefix) {
        return samples.stream().filter(s -> s.startsWith(prefix)).toList();
    }

    /** The sum of every series named exactly {@code name} whose labels contain each of {@code labels}. */
    double sum(String name, String... labels) {
        double total = 0;
        for (String s : samples) {
            if (nameOf(s).equals(name) && containsAll(s, labels)) {
                total += Double.parseDouble(s.substring(s.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** Live JVM threads. */
    long threads() {
        return (long) sum("jvm_threads_live_threads");
    }

    /** Open file descriptors of the process, sockets included. */
    long openFiles() {
        return (long) sum("process_files_open_files");
    }

    /** Heap in use, summed over the heap pools. */
    long heapUsedBytes() {
        return (long) sum("jvm_memory_used_bytes", "area=\"heap\"");
    }

    private static String nameOf(String sample) {
        int brace = sample.indexOf('{');
        int space = sample.indexOf(' ');
        return sample.substring(0, brace >= 0 && brace < space ? brace : space);
    }

    private static boolean containsAll(String sample, String... labels) {
        for (String label : labels) {
            if (!sample.contains(label)) {
                return false;
            }
        }
        return true;
    }
}
