package io.r8limiter.testkit;

import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Polls a condition that describes what is still wrong (null once all is well) until it holds or time runs out;
 * an exception from the condition counts as "not yet" and becomes the reported problem.
 */
final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    private Poll() {}

    /**
     * Waits up to {@code timeout} for {@code problem} to return null, or throws naming {@code what} and the problem.
     */
    static void await(Duration timeout, String what, Supplier<@Nullable String> problem) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not checked yet";
        while (System.nanoTime() < deadline) {
            @Nullable String current = check(problem);
            if (current == null) {
                return;
            }
            last = current;
            OsProcesses.sleep(INTERVAL);
        }
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what + ": " + last);
    }

    /** Runs {@code problem} once, turning an exception into its description. */
    static @Nullable String check(Supplier<@Nullable String> problem) {
        try {
            return problem.get();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }
}
