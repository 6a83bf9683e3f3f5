package io.r8limiter.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;

/**
 * A real Redis Cluster of three masters (optionally each with one replica), formed by the test kit itself from
 * {@link RedisServerProcess} nodes on free ports: slots 0-5460, 5461-10922 and 10923-16383, node timeout 2
 * seconds.
 *
 * <p>{@link #start()} returns once every node reports {@code cluster_state:ok} and all nodes agree on who owns
 * which slot, so the first command through {@link #jedisCluster()} already lands. Nodes can be killed, paused
 * or restarted through {@link #nodes()}; {@link #awaitHealthy()} waits for the cluster to settle again (after
 * a replica took over a killed master, for instance). {@link #migrateSlot(int, RedisServerProcess)} moves one
 * slot with its keys between masters, the way {@code redis-cli --cluster reshard} does.
 *
 * <pre>{@code
 * try (RedisClusterProcess cluster = RedisClusterProcess.start();
 *         JedisCluster client = cluster.jedisCluster()) {
 *     client.set("user:42", "x");
 *     RedisServerProcess owner = cluster.masterFor("user:42");
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RedisClusterProcess implements AutoCloseable {

    /** The number of hash slots in every Redis Cluster. */
    public static final int SLOTS = 16_384;

    /** The node timeout the nodes run with; failure detection and replica promotion take a few times this. */
    public static final Duration NODE_TIMEOUT = Duration.ofMillis(2_000);

    private static final int MASTERS = 3;

    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServerProcess> masters;

    private final List<RedisServerProcess> replicas;

    private RedisClusterProcess(List<RedisServerProcess> masters, List<RedisServerProcess> replicas) {
        this.masters = List.copyOf(masters);
        this.replicas = List.copyOf(replicas);
    }

    /** Forms a cluster of three masters and no replicas. */
    public static RedisClusterProcess start() {
        return start(false);
    }

    /** Forms a cluster of three masters, each with one replica that takes over when its master dies. */
    public static RedisClusterProcess startWithReplicas() {
        return start(true);
    }

    private static RedisClusterProcess start(boolean withReplicas) {
        List<RedisServerProcess> masters = new ArrayList<>();
        List<RedisServerProcess> replicas = new ArrayList<>();
        try {
            for (int i = 0; i < MASTERS; i++) {
                masters.add(startNode("master" + i));
            }
            for (int i = 0; withReplicas && i < MASTERS; i++) {
                replicas.add(startNode("replica" + i));
            }
            RedisClusterProcess cluster = new RedisClusterProcess(masters, replicas);
            ClusterFormation.form(cluster, FORM_TIMEOUT);
            return cluster;
        } catch (RuntimeException e) {
            masters.forEach(RedisServerProcess::close);
            replicas.forEach(RedisServerProcess::close);
            throw e;
        }
    }

    private static RedisServerProcess startNode(String name) {
        return RedisServerProcess.builder()
                .name("cluster-" + name)
                .option("--cluster-enabled", "yes")
                .option("--cluster-config-file", "nodes.conf")
                .option("--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()))
                .option("--repl-diskless-sync-delay", "0")
                .start();
    }

    /** Every node, masters first, in the order they were started. */
    public List<RedisServerProcess> nodes() {
        List<RedisServerProcess> all = new ArrayList<>(masters);
        all.addAll(replicas);
        return all;
    }

    /** The nodes started as masters (0-5460, 5461-10922, 10923-16383); after a failover one may be a replica. */
    public List<RedisServerProcess> initialMasters() {
        return masters;
    }

    /** The nodes started as replicas of {@link #initialMasters()}, index for index; empty without replicas. */
    public List<RedisServerProcess> initialReplicas() {
        return replicas;
    }

    /** The running nodes that currently own slots, as the cluster sees it now. */
    public List<RedisServerProcess> masters() {
        ClusterView view = view();
        return nodes().stream()
                .filter(RedisServerProcess::isRunning)
                .filter(node -> view.byPort(node.port())
                        .map(entry -> entry.master() && !entry.slots().isEmpty())
                        .orElse(false))
                .collect(Collectors.toList());
    }

    /** Every node's address, the seed set for a cluster client. */
    public Set<HostAndPort> hostAndPorts() {
        return nodes().stream()
                .map(RedisServerProcess::hostAndPort)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Opens a cluster client ({@code UnifiedJedis}) with the default timeout and Jedis' default attempts. */
    public JedisCluster jedisCluster() {
        return jedisCluster(RedisServerProcess.DEFAULT_CLIENT_TIMEOUT, JedisCluster.DEFAULT_MAX_ATTEMPTS);
    }

    /**
     * Opens a cluster client whose connect and read timeouts are {@code timeout} and which tries a command at
     * most {@code maxAttempts} times (redirects and retries after failures count as attempts).
     */
    public JedisCluster jedisCluster(Duration timeout, int maxAttempts) {
        Duration retries = timeout.multipliedBy(maxAttempts);
        return new JedisCluster(hostAndPorts(), RedisServerProcess.clientConfig(timeout), maxAttempts, retries);
    }

    /** The hash slot of {@code key}, as the cluster computes it ({@code CLUSTER KEYSLOT}). */
    public int slotOf(String key) {
        requireNonNull(key, "key");
        try (Jedis jedis = anyRunningNode().jedis()) {
            return Math.toIntExact(jedis.clusterKeySlot(key));
        }
    }

    /** The master that currently owns the slot of {@code key}. */
    public RedisServerProcess masterFor(String key) {
        return masterForSlot(slotOf(key));
    }

    /** The master that currently owns {@code slot}. */
    public RedisServerProcess masterForSlot(int slot) {
        checkSlot(slot);
        ClusterView.Node owner =
                view().ownerOf(slot).orElseThrow(() -> new IllegalStateException("no node owns slot " + slot));
        return nodeByPort(owner.port());
    }

    /** The cluster's node id of {@code node} ({@code CLUSTER MYID}). */
    public String nodeId(RedisServerProcess node) {
        try (Jedis jedis = node.jedis()) {
            return jedis.clusterMyId();
        }
    }

    /** Deletes every key on every current master ({@code FLUSHALL}; replicas follow). */
    public void flushAll() {
        masters().forEach(RedisServerProcess::flushAll);
    }

    /** Drops the cached Lua scripts on every running node ({@code SCRIPT FLUSH}). */
    public void scriptFlushAll() {
        nodes().stream().filter(RedisServerProcess::isRunning).forEach(RedisServerProcess::scriptFlush);
    }

    /** The number of keys on all current masters together. */
    public long dbSize() {
        return masters().stream().mapToLong(RedisServerProcess::dbSize).sum();
    }

    /** Every key on any current master that would never expire; empty when all keys have a TTL. */
    public List<String> keysWithoutTtl() {
        return masters().stream()
                .flatMap(master -> master.keysWithoutTtl().stream())
                .toList();
    }

    /**
     * Moves {@code slot} and its keys from its current owner to {@code target} and waits until every node agrees;
     * the same as {@code beginSlotMigration(slot, target).complete()}.
     */
    public void migrateSlot(int slot, RedisServerProcess target) {
        beginSlotMigration(slot, target).complete();
    }

    /**
     * Marks {@code slot} as migrating from its owner to {@code target} and returns the migration, so a test can
     * run traffic while keys move (clients then see {@code ASK} redirects) before completing it.
     */
    public SlotMigration beginSlotMigration(int slot, RedisServerProcess target) {
        checkSlot(slot);
        RedisServerProcess source = masterForSlot(slot);
        if (source == requireNonNull(target, "target")) {
            throw new IllegalArgumentException("target already owns slot " + slot + ": " + target);
        }
        return SlotMigration.begin(this, slot, source, target);
    }

    /** Whether every running node reports {@code cluster_state:ok}, agrees with the others and is not paused. */
    public boolean isHealthy() {
        return ClusterFormation.isHealthy(this);
    }

    /** Waits up to 30 seconds until {@link #isHealthy()}; for use after killing or restarting nodes. */
    public void awaitHealthy() {
        awaitHealthy(FORM_TIMEOUT);
    }

    /** Waits up to {@code timeout} until {@link #isHealthy()}, or throws with every node's view. */
    public void awaitHealthy(Duration timeout) {
        ClusterFormation.awaitHealthy(this, timeout);
    }

    /** Kills every node. */
    @Override
    public void close() {
        nodes().forEach(RedisServerProcess::close);
    }

    @Override
    public String toString() {
        return "redis cluster "
                + nodes().stream().map(node -> Integer.toString(node.port())).toList();
    }

    ClusterView view() {
        try (Jedis jedis = anyRunningNode().jedis()) {
            return ClusterView.parse(jedis.clusterNodes());
        }
    }

    RedisServerProcess nodeByPort(int port) {
        return nodes().stream()
                .filter(node -> node.port() == port)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of " + this + " has port " + port));
    }

    private RedisServerProcess anyRunningNode() {
        return nodes().stream()
                .filter(node -> node.isRunning() && !node.isPaused())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of " + this + " is running"));
    }

    static void clusterCommand(RedisServerProcess node, String... args) {
        try (Jedis jedis = node.jedis()) {
            jedis.sendCommand(Protocol.Command.CLUSTER, args);
        }
    }

    private static void checkSlot(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("slot must be between 0 and 16383 but was " + slot);
        }
    }
}
