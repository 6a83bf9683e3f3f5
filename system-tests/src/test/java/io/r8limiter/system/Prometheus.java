package io.r8limiter.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scrape of {@code /actuator/prometheus}, read as sample lines ({@code name{labels} value}). */
final class Prometheus {

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

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

    /** The identities ({@code name{labels}}, without the value) of the series whose name starts with {@code prefix}. */
    List<String> seriesIds(String prefix) {
        return series(prefix).stream()
                .map(s -> s.substring(0, s.lastIndexOf(' ')))
                .sorted()
                .toList();
    }

    /** The labels of one sample line, in the order written. */
    static Map<String, String> labels(String sample) {
        Map<String, String> labels = new LinkedHashMap<>();
        int brace = sample.indexOf('{');
        if (brace < 0 || brace > sample.indexOf(' ')) {
            return labels;
        }
        Matcher m = LABEL.matcher(sample.substring(brace, sample.lastIndexOf('}') + 1));
        while (m.find()) {
            labels.put(m.group(1), m.group(2));
        }
        return labels;
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

    /** The old generation's occupancy after the last collection that reclaimed it (Micrometer's live data size). */
    long liveDataBytes() {
        return (long) required("jvm_gc_live_data_size_bytes", "");
    }

    /** Tomcat request threads busy at the moment of the scrape (the scrape's own included). */
    long busyThreads() {
        return (long) required("tomcat_threads_busy_threads", " (exported with server.tomcat.mbeanregistry.enabled)");
    }

    /** The sum of the series named {@code name}, failing when there is none, so that no check passes vacuously. */
    private double required(String name, String hint) {
        if (samples.stream().noneMatch(s -> nameOf(s).equals(name))) {
            throw new IllegalStateException("the scrape has no " + name + hint);
        }
        return sum(name);
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
