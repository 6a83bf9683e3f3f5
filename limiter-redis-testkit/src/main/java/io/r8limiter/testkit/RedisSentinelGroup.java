package io.r8limiter.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;

/**
 * A Redis Sentinel group on 127.0.0.1: one primary, one replica ({@code --replicaof}) and one or three sentinels
 * ({@code redis-server --sentinel}) monitoring them under the name {@value #MASTER_NAME}, with
 * {@code down-after-milliseconds} 1000 and {@code failover-timeout} 3000, so a failover completes in a few
 * seconds.
 *
 * <p>{@link #start()} returns once the replica is in sync and every sentinel knows the primary, the replica and
 * its fellow sentinels. {@link #failover()} kills the current primary (SIGKILL) and waits until every sentinel
 * names the promoted replica and it accepts writes; the killed server stays down until a test restarts it, after
 * which the sentinels turn it into a replica of the new primary.
 *
 * <pre>{@code
 * try (RedisSentinelGroup group = RedisSentinelGroup.start();
 *         JedisSentineled client = group.jedisSentineled()) {
 *     client.set("k", "v");
 *     group.failover();
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RedisSentinelGroup implements AutoCloseable {

    /** The name the sentinels monitor the primary under. */
    public static final String MASTER_NAME = "mymaster";

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServerProcess> servers;

    private final List<RedisServerProcess> sentinels;

    private RedisSentinelGroup(List<RedisServerProcess> servers, List<RedisServerProcess> sentinels) {
        this.servers = List.copyOf(servers);
        this.sentinels = List.copyOf(sentinels);
    }

    /** Starts a primary, a replica and one sentinel (quorum 1). */
    public static RedisSentinelGroup start() {
        return start(1);
    }

    /** Starts a primary, a replica and {@code sentinelCount} sentinels: 1 (quorum 1) or 3 (quorum 2). */
    public static RedisSentinelGroup start(int sentinelCount) {
        if (sentinelCount != 1 && sentinelCount != 3) {
            throw new IllegalArgumentException("sentinelCount must be 1 or 3 but was " + sentinelCount);
        }
        List<RedisServerProcess> started = new ArrayList<>();
        try {
            RedisServerProcess primary = track(started, dataServer("sentinel-primary"));
            RedisServerProcess replica = track(
                    started,
                    dataServer("sentinel-replica")
                            .option("--replicaof", RedisServerProcess.HOST, Integer.toString(primary.port())));
            String config = sentinelConfig(primary.port(), sentinelCount == 1 ? 1 : 2);
            List<RedisServerProcess> sentinels = new ArrayList<>();
            for (int i = 0; i < sentinelCount; i++) {
                sentinels.add(track(
                        started,
                        RedisServerProcess.builder()
                                .name("sentinel" + i)
                                .configText(config)
                                .option("--sentinel")));
            }
            RedisSentinelGroup group = new RedisSentinelGroup(List.of(primary, replica), sentinels);
            group.awaitSettled(primary, replica);
            return group;
        } catch (RuntimeException e) {
            started.forEach(RedisServerProcess::close);
            throw e;
        }
    }

    private static RedisServerProcess.Builder dataServer(String name) {
        // without a delay a replica syncs at once instead of after the default 5 seconds of diskless batching
        return RedisServerProcess.builder().name(name).option("--repl-diskless-sync-delay", "0");
    }

    private static RedisServerProcess track(List<RedisServerProcess> started, RedisServerProcess.Builder builder) {
        RedisServerProcess server = builder.start();
        started.add(server);
        return server;
    }

    private static String sentinelConfig(int primaryPort, int quorum) {
        return String.join(
                "\n",
                "sentinel monitor " + MASTER_NAME + " " + RedisServerProcess.HOST + " " + primaryPort + " " + quorum,
                "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                "sentinel failover-timeout " + MASTER_NAME + " 3000",
                "sentinel parallel-syncs " + MASTER_NAME + " 1",
                "");
    }

    /** The name the sentinels monitor the primary under, {@value #MASTER_NAME}. */
    public String masterName() {
        return MASTER_NAME;
    }

    /** The data servers: the initial primary first, then the initial replica. */
    public List<RedisServerProcess> servers() {
        return servers;
    }

    /** The sentinel processes. */
    public List<RedisServerProcess> sentinels() {
        return sentinels;
    }

    /** The sentinels' addresses, what a Sentinel client is configured with. */
    public Set<HostAndPort> sentinelHostAndPorts() {
        return sentinels.stream()
                .map(RedisServerProcess::hostAndPort)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The primary's address as the first running sentinel reports it now. */
    public HostAndPort primaryAddress() {
        RedisServerProcess sentinel = sentinels.stream()
                .filter(RedisServerProcess::isRunning)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no sentinel is running"));
        return reportedPrimary(sentinel);
    }

    /** The server the sentinels currently name as primary. */
    public RedisServerProcess primary() {
        int port = primaryAddress().getPort();
        return servers.stream()
                .filter(server -> server.port() == port)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("sentinels name unknown primary port " + port));
    }

    /** The data server that is not the current primary. */
    public RedisServerProcess replica() {
        RedisServerProcess primary = primary();
        return servers.stream().filter(server -> server != primary).findFirst().orElseThrow();
    }

    /** Opens a Sentinel-aware client ({@code UnifiedJedis}) with the default timeout. */
    public JedisSentineled jedisSentineled() {
        return jedisSentineled(RedisServerProcess.DEFAULT_CLIENT_TIMEOUT);
    }

    /** Opens a Sentinel-aware client whose connect and read timeouts are {@code timeout}. */
    public JedisSentineled jedisSentineled(Duration timeout) {
        JedisClientConfig config = RedisServerProcess.clientConfig(timeout);
        return JedisSentineled.builder()
                .masterName(MASTER_NAME)
                .sentinels(sentinelHostAndPorts())
                .clientConfig(config)
                .sentinelClientConfig(config)
                .build();
    }

    /**
     * Kills the current primary (SIGKILL) and waits until every running sentinel names the other server and that
     * server accepts writes; returns the new primary. A {@link JedisSentineled} client learns of the switch
     * from the sentinels' {@code +switch-master} message a moment later, so its next command may still fail.
     */
    public RedisServerProcess failover() {
        return failover(SETTLE_TIMEOUT);
    }

    /** Like {@link #failover()}, waiting at most {@code timeout}. */
    public RedisServerProcess failover(Duration timeout) {
        RedisServerProcess old = primary();
        RedisServerProcess next = replica();
        old.kill();
        Poll.await(timeout, "sentinels to promote " + next, () -> promotionProblem(next));
        return next;
    }

    /** Kills every process of the group. */
    @Override
    public void close() {
        sentinels.forEach(RedisServerProcess::close);
        servers.forEach(RedisServerProcess::close);
    }

    @Override
    public String toString() {
        return "sentinel group " + MASTER_NAME + " servers " + servers + " sentinels " + sentinels;
    }

    private void awaitSettled(RedisServerProcess primary, RedisServerProcess replica) {
        Poll.await(SETTLE_TIMEOUT, "the sentinel group to settle", () -> settleProblem(primary, replica));
    }

    private @Nullable String settleProblem(RedisServerProcess primary, RedisServerProcess replica) {
        if (!linkUp(replica)) {
            return replica + " not in sync";
        }
        for (RedisServerProcess sentinel : sentinels) {
            try (Jedis jedis = sentinel.jedis()) {
                if (reportedPrimary(sentinel).getPort() != primary.port()) {
                    return sentinel + " names " + reportedPrimary(sentinel);
                }
                if (!knowsReplica(jedis.sentinelReplicas(MASTER_NAME), replica.port())) {
                    return sentinel + " does not know " + replica;
                }
                if (jedis.sentinelSentinels(MASTER_NAME).size() != sentinels.size() - 1) {
                    return sentinel + " does not know all sentinels yet";
                }
            }
        }
        return null;
    }

    private @Nullable String promotionProblem(RedisServerProcess next) {
        for (RedisServerProcess sentinel : sentinels) {
            if (sentinel.isRunning() && reportedPrimary(sentinel).getPort() != next.port()) {
                return sentinel + " names " + reportedPrimary(sentinel);
            }
        }
        try (Jedis jedis = next.jedis()) {
            return jedis.info("replication").contains("role:master") ? null : next + " is not master yet";
        }
    }

    private static boolean knowsReplica(List<Map<String, String>> replicas, int port) {
        return replicas.stream()
                .anyMatch(replica -> Integer.toString(port).equals(replica.get("port"))
                        && !replica.getOrDefault("flags", "").contains("down")
                        && !replica.getOrDefault("flags", "").contains("disconnected"));
    }

    private static boolean linkUp(RedisServerProcess replica) {
        try (Jedis jedis = replica.jedis()) {
            return jedis.info("replication").contains("master_link_status:up");
        }
    }

    private static HostAndPort reportedPrimary(RedisServerProcess sentinel) {
        try (Jedis jedis = sentinel.jedis()) {
            List<String> address = jedis.sentinelGetMasterAddrByName(MASTER_NAME);
            return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
        }
    }
}
