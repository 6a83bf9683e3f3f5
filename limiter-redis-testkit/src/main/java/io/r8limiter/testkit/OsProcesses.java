package io.r8limiter.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting, signalling and reaping operating-system processes, with the few retries the test kit needs. */
final class OsProcesses {

    private OsProcesses() {}

    /** Starts {@code command} in {@code directory}, appending its output to {@code log}. */
    static Process spawn(List<String> command, Path directory, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        for (int attempt = 0; ; attempt++) {
            try {
                return builder.start();
            } catch (IOException e) {
                // a freshly written binary can be briefly "text file busy" while another thread forks
                if (attempt >= 10 || !String.valueOf(e.getMessage()).contains("busy")) {
                    throw new UncheckedIOException("cannot start " + command, e);
                }
                sleep(Duration.ofMillis(50));
            }
        }
    }

    /** Sends {@code SIG<signal>} (for example {@code STOP} or {@code CONT}) through {@code kill}. */
    static void signal(String signal, Process target) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(target.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + target.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal, e);
        }
    }

    /** Waits for {@code target} to exit, killing it with SIGKILL if it takes longer than {@code timeout}. */
    static void awaitExit(Process target, Duration timeout) {
        try {
            if (!target.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                target.destroyForcibly().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for pid " + target.pid() + " to exit", e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
