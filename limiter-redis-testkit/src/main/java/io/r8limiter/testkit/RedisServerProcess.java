package io.r8limiter.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;

/**
 * One real {@code redis-server} process on 127.0.0.1, started from the embedded-redis binary on a free port,
 * with no persistence ({@code --save ""}, {@code --appendonly no}) and its own temporary working directory.
 *
 * <p>{@link #start()} returns once the server answers {@code PING}. The process can be stopped, killed
 * (SIGKILL), restarted on the same port with its data gone, or paused (SIGSTOP) to play a stalled server, whose
 * open connections then accept writes but never answer until {@link #resume()}. {@link #close()} kills it; a
 * shutdown hook and a watchdog kill it too if the test forgets, so no process outlives the JVM.
 *
 * <p>Instances are safe to use from several threads; lifecycle methods are serialized.
 *
 * <pre>{@code
 * try (RedisServerProcess redis = RedisServerProcess.start();
 *         Jedis jedis = redis.jedis()) {
 *     jedis.set("k", "v");
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RedisServerProcess implements AutoCloseable {

    /** The address every test server binds to. */
    public static final String HOST = "127.0.0.1";

    /** The client timeout used by {@link #jedis()} and {@link #pooled()}. */
    public static final Duration DEFAULT_CLIENT_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

    private static final int START_ATTEMPTS = 5;

    private final String name;

    private final List<String> extraArgs;

    private final @Nullable String configText;

    private final Path directory;

    private int port;

    private @Nullable Process process;

    private boolean paused;

    private RedisServerProcess(Builder builder) {
        this.name = builder.name;
        this.extraArgs = List.copyOf(builder.args);
        this.configText = builder.configText;
        this.directory = RedisRuntime.get().newProcessDirectory(builder.name);
        this.port = builder.port;
    }

    /** Starts a plain standalone server on a free port and waits until it answers {@code PING}. */
    public static RedisServerProcess start() {
        return builder().start();
    }

    /** Returns a builder for a server with extra {@code redis-server} options. */
    public static Builder builder() {
        return new Builder();
    }

    /** The TCP port the server listens on; stays the same across {@link #restart()}. */
    public synchronized int port() {
        return port;
    }

    /** The server's address as Jedis wants it. */
    public HostAndPort hostAndPort() {
        return new HostAndPort(HOST, port());
    }

    /** The server's address as {@code redis://127.0.0.1:PORT}. */
    public URI uri() {
        return URI.create("redis://" + HOST + ":" + port());
    }

    /** The operating-system process id of the running server. */
    public synchronized long pid() {
        return requireRunning().pid();
    }

    /** This server's temporary working directory (logs in {@code redis.log}, cluster or sentinel files). */
    public Path directory() {
        return directory;
    }

    /** Whether the process is alive (a paused process is alive). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Whether {@link #pause()} stopped the process and {@link #resume()} has not yet continued it. */
    public synchronized boolean isPaused() {
        return paused && isRunning();
    }

    /** Opens a new single-connection client with the {@linkplain #DEFAULT_CLIENT_TIMEOUT default timeout}. */
    public Jedis jedis() {
        return jedis(DEFAULT_CLIENT_TIMEOUT);
    }

    /** Opens a new single-connection client whose connect and read timeouts are {@code timeout}. */
    public Jedis jedis(Duration timeout) {
        return new Jedis(hostAndPort(), clientConfig(timeout));
    }

    /**
     * Opens a new pooled client ({@code UnifiedJedis}) with the {@linkplain #DEFAULT_CLIENT_TIMEOUT default timeout}.
     */
    public JedisPooled pooled() {
        return pooled(DEFAULT_CLIENT_TIMEOUT);
    }

    /** Opens a new pooled client ({@code UnifiedJedis}) whose connect and read timeouts are {@code timeout}. */
    public JedisPooled pooled(Duration timeout) {
        return new JedisPooled(hostAndPort(), clientConfig(timeout));
    }

    /** Deletes every key ({@code FLUSHALL}); a no-op for sentinels. */
    public void flushAll() {
        try (Jedis jedis = jedis()) {
            jedis.flushAll();
        }
    }

    /** Drops every cached Lua script ({@code SCRIPT FLUSH}), as a restart or failover would. */
    public void scriptFlush() {
        try (Jedis jedis = jedis()) {
            jedis.scriptFlush();
        }
    }

    /** The number of keys ({@code DBSIZE}). */
    public long dbSize() {
        try (Jedis jedis = jedis()) {
            return jedis.dbSize();
        }
    }

    /** Every key that would never expire, scanned without blocking the server; empty when all keys have a TTL. */
    public List<String> keysWithoutTtl() {
        try (Jedis jedis = jedis()) {
            return Keyspace.keysWithoutTtl(jedis);
        }
    }

    /** The memory the server uses for data and overhead ({@code INFO memory}, {@code used_memory}), in bytes. */
    public long usedMemoryBytes() {
        try (Jedis jedis = jedis()) {
            return Keyspace.usedMemoryBytes(jedis);
        }
    }

    /** Stops the server gracefully (SIGTERM, then SIGKILL after 5 seconds) and waits for it to exit. */
    public synchronized void stop() {
        Process current = process;
        if (current == null) {
            return;
        }
        if (paused) {
            resume();
        }
        current.destroy();
        OsProcesses.awaitExit(current, Duration.ofSeconds(5));
    }

    /** Kills the server at once with SIGKILL, as a crash would, and waits for it to exit. */
    public synchronized void kill() {
        Process current = process;
        if (current == null) {
            return;
        }
        current.destroyForcibly();
        OsProcesses.awaitExit(current, Duration.ofSeconds(5));
    }

    /** Kills the server if it runs and starts it again on the same port; the data is gone, the options stay. */
    public synchronized void restart() {
        kill();
        launch(false);
    }

    /** Suspends the process (SIGSTOP): it keeps its port and connections but answers nothing until resumed. */
    public synchronized void pause() {
        OsProcesses.signal("STOP", requireRunning());
        paused = true;
    }

    /** Continues a {@linkplain #pause() paused} process (SIGCONT). */
    public synchronized void resume() {
        OsProcesses.signal("CONT", requireRunning());
        paused = false;
    }

    /** Returns the last {@code lines} lines of the server's log, for assertion messages and debugging. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(directory.resolve("redis.log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the server (same as {@link #kill()}); calling it again does nothing. */
    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return "redis-server " + name + " at " + HOST + ":" + port;
    }

    static JedisClientConfig clientConfig(Duration timeout) {
        int millis = Math.toIntExact(timeout.toMillis());
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .build();
    }

    /** Starts the process, choosing a fresh port on each attempt unless the port is fixed. */
    private synchronized RedisServerProcess launch(boolean mayChangePort) {
        IllegalStateException failure = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            if (port == 0 || (mayChangePort && attempt > 0)) {
                port = FreePorts.next();
            }
            try {
                startProcess();
                return this;
            } catch (IllegalStateException e) {
                failure = e;
            }
        }
        throw requireNonNull(failure);
    }

    private void startProcess() {
        Process started = OsProcesses.spawn(command(), directory, directory.resolve("redis.log"));
        process = started;
        paused = false;
        RedisRuntime.get().register(started);
        started.onExit().thenAccept(RedisRuntime.get()::unregister);
        awaitPing(started);
    }

    private List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(RedisRuntime.get().binary().toString());
        if (configText != null) {
            command.add(writeConfig(configText).toString());
        }
        command.addAll(List.of("--port", Integer.toString(port), "--bind", HOST, "--dir", directory.toString()));
        command.addAll(List.of("--save", "", "--appendonly", "no", "--daemonize", "no"));
        command.addAll(extraArgs);
        return command;
    }

    private Path writeConfig(String text) {
        Path config = directory.resolve("redis.conf");
        try {
            if (Files.notExists(config)) {
                Files.writeString(config, text);
            }
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
    }

    private void awaitPing(Process started) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                throw new IllegalStateException(
                        "redis-server " + name + " on port " + port + " exited at startup:\n" + logTail(10));
            }
            if (answersPing()) {
                return;
            }
            OsProcesses.sleep(Duration.ofMillis(20));
        }
        started.destroyForcibly();
        throw new IllegalStateException("redis-server " + name + " on port " + port + " did not answer PING within "
                + STARTUP_TIMEOUT + ":\n" + logTail(10));
    }

    private boolean answersPing() {
        try (Jedis jedis = jedis(Duration.ofMillis(500))) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Process requireRunning() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            throw new IllegalStateException(this + " is not running");
        }
        return current;
    }

    /**
     * Collects extra {@code redis-server} options for {@link RedisServerProcess#builder()}.
     *
     * <p>The test kit always passes {@code --port}, {@code --bind 127.0.0.1}, {@code --dir}, {@code --save ""}
     * and {@code --appendonly no}; options added here come after those and so may override them.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private String name = "redis";

        private final List<String> args = new ArrayList<>();

        private @Nullable String configText;

        private int port;

        private Builder() {}

        /** Adds one option with its values, for example {@code option("--maxmemory", "10mb")}. */
        public Builder option(String option, String... values) {
            requireNonNull(option, "option");
            if (!option.startsWith("--")) {
                throw new IllegalArgumentException("option must start with -- but was " + option);
            }
            args.add(option);
            args.addAll(List.of(values));
            return this;
        }

        /** Names the server in messages and in its directory name (default {@code redis}). */
        public Builder name(String name) {
            this.name = requireNonNull(name, "name");
            return this;
        }

        /** Uses this port instead of a free one; the start fails if it is taken. */
        public Builder port(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 1 and 65535 but was " + port);
            }
            this.port = port;
            return this;
        }

        /** Writes {@code text} as a config file passed before all options (sentinels need one). */
        Builder configText(String text) {
            this.configText = requireNonNull(text, "text");
            return this;
        }

        /** Starts the server and waits until it answers {@code PING}; retries on another port if bind fails. */
        public RedisServerProcess start() {
            RedisServerProcess server = new RedisServerProcess(this);
            return server.launch(port == 0);
        }
    }
}
