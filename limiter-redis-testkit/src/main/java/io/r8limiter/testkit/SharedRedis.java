package io.r8limiter.testkit;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Servers shared by every test class of one JVM, started lazily on first use and killed when the JVM exits,
 * so a test suite pays for one standalone server and one cluster instead of one per class.
 *
 * <p>Shared servers carry data from test to test: call {@link #flushAll()} (or the server's own
 * {@code flushAll()}) in {@code @BeforeEach}, or use keys unique to the test. Tests that kill, pause, restart
 * or reshape a server must start their own; if one still did it to a shared server, the next call here
 * resumes or restarts it (on the same port) and, for the cluster, starts a fresh one.
 *
 * <pre>{@code
 * @BeforeEach
 * void clean() {
 *     SharedRedis.flushAll();
 * }
 *
 * @Test
 * void works() {
 *     try (JedisPooled redis = SharedRedis.standalone().pooled()) { ... }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SharedRedis {

    private static @Nullable RedisServerProcess standalone;

    private static @Nullable RedisClusterProcess cluster;

    private SharedRedis() {}

    /** The JVM's shared standalone server, started on first call; healed if a test paused or killed it. */
    public static synchronized RedisServerProcess standalone() {
        RedisServerProcess server = standalone;
        if (server == null) {
            server = RedisServerProcess.builder().name("shared").start();
            standalone = server;
        } else if (server.isPaused()) {
            server.resume();
        } else if (!server.isRunning()) {
            server.restart();
        }
        return server;
    }

    /** The JVM's shared 3-master cluster, formed on first call; re-formed if a test broke it
     * and it does not settle within 5 seconds. */
    public static synchronized RedisClusterProcess cluster() {
        RedisClusterProcess current = cluster;
        if (current == null) {
            current = RedisClusterProcess.start();
            cluster = current;
        } else if (!current.isHealthy() && !settles(current)) {
            current.close();
            current = RedisClusterProcess.start();
            cluster = current;
        }
        return current;
    }

    private static boolean settles(RedisClusterProcess current) {
        try {
            current.awaitHealthy(Duration.ofSeconds(5));
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Deletes the keys of whichever shared servers have been started (none are started here). */
    public static synchronized void flushAll() {
        if (standalone != null) {
            standalone().flushAll();
        }
        if (cluster != null) {
            cluster().flushAll();
        }
    }
}
