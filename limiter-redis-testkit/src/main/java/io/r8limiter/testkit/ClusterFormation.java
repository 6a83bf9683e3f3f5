package io.r8limiter.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Jedis;

/**
 * Forms a cluster from fresh nodes (slots, epochs, {@code MEET}, {@code REPLICATE}) and judges its health, the
 * way {@code redis-cli --cluster create} and {@code check} do.
 */
final class ClusterFormation {

    private static final int[][] RANGES = {{0, 5460}, {5461, 10922}, {10923, 16383}};

    private ClusterFormation() {}

    static void form(RedisClusterProcess cluster, Duration timeout) {
        List<RedisServerProcess> nodes = cluster.nodes();
        List<RedisServerProcess> masters = cluster.initialMasters();
        for (int i = 0; i < nodes.size(); i++) {
            // distinct epochs up front spare the nodes a round of epoch-collision resolution
            RedisClusterProcess.clusterCommand(nodes.get(i), "SET-CONFIG-EPOCH", Integer.toString(i + 1));
        }
        for (int i = 0; i < masters.size(); i++) {
            String from = Integer.toString(RANGES[i][0]);
            String to = Integer.toString(RANGES[i][1]);
            RedisClusterProcess.clusterCommand(masters.get(i), "ADDSLOTSRANGE", from, to);
        }
        for (RedisServerProcess node : nodes.subList(1, nodes.size())) {
            RedisClusterProcess.clusterCommand(
                    nodes.get(0), "MEET", RedisServerProcess.HOST, Integer.toString(node.port()));
        }
        awaitAllKnown(cluster, timeout);
        List<RedisServerProcess> replicas = cluster.initialReplicas();
        for (int i = 0; i < replicas.size(); i++) {
            String masterId = cluster.nodeId(masters.get(i));
            RedisClusterProcess.clusterCommand(replicas.get(i), "REPLICATE", masterId);
        }
        awaitHealthy(cluster, timeout);
    }

    static boolean isHealthy(RedisClusterProcess cluster) {
        return Poll.check(() -> problem(cluster)) == null;
    }

    static void awaitHealthy(RedisClusterProcess cluster, Duration timeout) {
        Poll.await(timeout, cluster + " to be healthy", () -> problem(cluster));
    }

    private static void awaitAllKnown(RedisClusterProcess cluster, Duration timeout) {
        int expected = cluster.nodes().size();
        Poll.await(timeout, "the nodes of " + cluster + " to meet", () -> {
            for (RedisServerProcess node : cluster.nodes()) {
                int known = knownNodes(node);
                if (known != expected) {
                    return node + " knows " + known + " of " + expected + " nodes";
                }
            }
            return null;
        });
    }

    private static int knownNodes(RedisServerProcess node) {
        try (Jedis jedis = node.jedis()) {
            ClusterView view = ClusterView.parse(jedis.clusterNodes());
            return (int) view.nodes().stream().filter(entry -> !entry.failing()).count();
        }
    }

    /** Returns what is wrong with the cluster now, or null when every running node is content and agrees. */
    private static @Nullable String problem(RedisClusterProcess cluster) {
        Set<String> assignments = new HashSet<>();
        List<String> states = new ArrayList<>();
        for (RedisServerProcess node : cluster.nodes()) {
            if (!node.isRunning()) {
                continue;
            }
            if (node.isPaused()) {
                return node + " is paused";
            }
            try (Jedis jedis = node.jedis()) {
                String info = jedis.clusterInfo();
                if (!info.contains("cluster_state:ok")) {
                    return node + " reports " + line(info, "cluster_state");
                }
                ClusterView view = ClusterView.parse(jedis.clusterNodes());
                if (view.nodes().size() != cluster.nodes().size()) {
                    return node + " knows " + view.nodes().size() + " nodes";
                }
                assignments.add(view.assignment());
                String owners = deadOwnerProblem(cluster, node, view);
                if (owners != null) {
                    return owners;
                }
                String replication = replicationProblem(node, jedis, view);
                if (replication != null) {
                    return replication;
                }
                states.add(node.port() + ":" + view.assignment());
            }
        }
        return assignments.size() <= 1 ? null : "nodes disagree: " + states;
    }

    /** A killed master keeps its slots in every view until its failure is agreed, which takes a few seconds. */
    private static @Nullable String deadOwnerProblem(
            RedisClusterProcess cluster, RedisServerProcess node, ClusterView view) {
        for (ClusterView.Node entry : view.nodes()) {
            if (entry.master()
                    && !entry.slots().isEmpty()
                    && !cluster.nodeByPort(entry.port()).isRunning()) {
                return node + " still counts on stopped master " + entry.port();
            }
        }
        return null;
    }

    private static @Nullable String replicationProblem(RedisServerProcess node, Jedis jedis, ClusterView view) {
        boolean replica = view.byPort(node.port()).map(entry -> !entry.master()).orElse(false);
        if (!replica) {
            return null;
        }
        String info = jedis.info("replication");
        return info.contains("master_link_status:up") ? null : node + " has " + line(info, "master_link_status");
    }

    private static String line(String info, String field) {
        return info.lines().filter(line -> line.startsWith(field)).findFirst().orElse(field + " missing");
    }
}
