package io.r8limiter.system;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Finds traces of an exception in a response: class-name suffixes, stack frames, Java package names. */
final class Leaks {

    private static final List<String> MARKERS = List.of(
            "Exception",
            "Throwable",
            "Caused by",
            "\tat ",
            "java.",
            "jakarta.",
            "org.springframework",
            "org.apache",
            "org.eclipse",
            "tools.jackson",
            "com.fasterxml",
            "redis.clients",
            "io.r8limiter",
            "io.github.resilience4j");

    private Leaks() {}

    /** The first marker found in {@code body} that the client did not send itself in {@code request}, or null. */
    static @Nullable String find(String body, String request) {
        for (String marker : MARKERS) {
            if (body.contains(marker) && !request.contains(marker)) {
                return marker;
            }
        }
        return null;
    }
}
