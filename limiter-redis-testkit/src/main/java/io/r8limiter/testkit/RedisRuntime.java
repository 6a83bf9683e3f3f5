package io.r8limiter.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The per-JVM home of every Redis process the test kit starts: one temporary directory holding the
 * {@code redis-server} binary (extracted once from the embedded-redis jar) and one subdirectory per process.
 *
 * <p>Processes never outlive the JVM: a shutdown hook kills every live one, and a small {@code sh} watchdog,
 * started with the first process, kills whatever is listed in {@code pids/} when the JVM disappears without
 * running its hooks (for example after a SIGKILL of a test fork).
 */
final class RedisRuntime {

    private static final String REDIS_VERSION = "7.0.15";

    private static final Object LOCK = new Object();

    private static volatile RedisRuntime instance;

    private final Path root;

    private final Path binary;

    private final Set<Process> live = ConcurrentHashMap.newKeySet();

    private RedisRuntime(Path root) {
        this.root = root;
        this.binary = extractBinary(root);
        createDirectory(root.resolve("pids"));
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "r8limiter-testkit-shutdown"));
        startWatchdog();
    }

    static RedisRuntime get() {
        RedisRuntime current = instance;
        if (current != null) {
            return current;
        }
        synchronized (LOCK) {
            if (instance == null) {
                instance = new RedisRuntime(createTempRoot());
            }
            return instance;
        }
    }

    Path binary() {
        return binary;
    }

    /** Creates a fresh, empty working directory for one process. */
    Path newProcessDirectory(String prefix) {
        try {
            return Files.createTempDirectory(root, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory under " + root, e);
        }
    }

    void register(Process process) {
        live.add(process);
        writePidFile(process.pid());
    }

    void unregister(Process process) {
        live.remove(process);
        try {
            Files.deleteIfExists(pidFile(process.pid()));
        } catch (IOException e) {
            // the watchdog would at worst signal a pid that is already gone
        }
    }

    private void writePidFile(long pid) {
        try {
            Files.writeString(pidFile(pid), Long.toString(pid));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record pid " + pid, e);
        }
    }

    private Path pidFile(long pid) {
        return root.resolve("pids").resolve(pid + ".pid");
    }

    private void shutdown() {
        for (Process process : live) {
            process.destroyForcibly();
        }
        for (Process process : live) {
            process.onExit().join();
        }
        deleteRecursively(root);
    }

    private void startWatchdog() {
        String script = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; "
                + "for f in \"$2\"/pids/*.pid; do [ -f \"$f\" ] && kill -9 \"$(cat \"$f\")\" 2>/dev/null; done; "
                + "rm -rf \"$2\"";
        ProcessBuilder builder = new ProcessBuilder(
                        "sh",
                        "-c",
                        script,
                        "r8limiter-watchdog",
                        Long.toString(ProcessHandle.current().pid()),
                        root.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            builder.start();
        } catch (IOException e) {
            // without a watchdog the shutdown hook still covers every orderly JVM exit
        }
    }

    private static Path createTempRoot() {
        try {
            return Files.createTempDirectory("r8limiter-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for Redis", e);
        }
    }

    private static Path extractBinary(Path root) {
        String resource = "/redis-server-" + REDIS_VERSION + "-" + platform();
        Path target = root.resolve("redis-server");
        try (InputStream in = RedisRuntime.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("embedded-redis has no binary " + resource
                        + " on the class path; add org.signal:embedded-redis 0.9.1 to the test class path");
            }
            Path partial = root.resolve("redis-server.partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            return Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource + " to " + target, e);
        }
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osPart = os.contains("mac") ? "darwin" : "linux";
        String archPart =
                switch (arch) {
                    case "amd64", "x86_64" -> "amd64";
                    case "aarch64", "arm64" -> "arm64";
                    case "x86", "i386", "i686" -> "386";
                    default -> throw new IllegalStateException("no embedded redis-server for os.arch " + arch);
                };
        return osPart + "-" + archPart;
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: the watchdog removes the directory too
        }
    }
}
