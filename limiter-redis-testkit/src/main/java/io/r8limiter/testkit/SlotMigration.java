package io.r8limiter.testkit;

import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.MigrateParams;

/**
 * One hash slot on its way from one master to another, begun by
 * {@link RedisClusterProcess#beginSlotMigration(int, RedisServerProcess)}.
 *
 * <p>While it is open the source answers for keys it still has and sends {@code ASK} redirects for keys already
 * moved, so tests can run traffic mid-migration; {@link #moveKeys()} moves the keys present now and
 * {@link #complete()} moves the rest and hands the slot to the target on every master. Not thread-safe: one
 * test thread drives a migration.
 *
 * <pre>{@code
 * SlotMigration migration = cluster.beginSlotMigration(cluster.slotOf("k"), otherMaster);
 * migration.moveKeys();
 * // ... traffic sees ASK redirects ...
 * migration.complete();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SlotMigration {

    private static final int BATCH = 100;

    private static final int MIGRATE_TIMEOUT_MILLIS = 5_000;

    private final RedisClusterProcess cluster;

    private final int slot;

    private final RedisServerProcess source;

    private final RedisServerProcess target;

    private SlotMigration(RedisClusterProcess cluster, int slot, RedisServerProcess source, RedisServerProcess target) {
        this.cluster = cluster;
        this.slot = slot;
        this.source = source;
        this.target = target;
    }

    static SlotMigration begin(
            RedisClusterProcess cluster, int slot, RedisServerProcess source, RedisServerProcess target) {
        String slotText = Integer.toString(slot);
        RedisClusterProcess.clusterCommand(target, "SETSLOT", slotText, "IMPORTING", cluster.nodeId(source));
        RedisClusterProcess.clusterCommand(source, "SETSLOT", slotText, "MIGRATING", cluster.nodeId(target));
        return new SlotMigration(cluster, slot, source, target);
    }

    /** The slot being moved. */
    public int slot() {
        return slot;
    }

    /** The master the slot comes from. */
    public RedisServerProcess source() {
        return source;
    }

    /** The master the slot goes to. */
    public RedisServerProcess target() {
        return target;
    }

    /** Moves every key the source holds in the slot now ({@code MIGRATE ... KEYS}); returns how many moved. */
    public int moveKeys() {
        int moved = 0;
        try (Jedis jedis = source.jedis()) {
            List<String> keys = jedis.clusterGetKeysInSlot(slot, BATCH);
            while (!keys.isEmpty()) {
                jedis.migrate(
                        RedisServerProcess.HOST,
                        target.port(),
                        0,
                        MIGRATE_TIMEOUT_MILLIS,
                        new MigrateParams().replace(),
                        keys.toArray(String[]::new));
                moved += keys.size();
                keys = jedis.clusterGetKeysInSlot(slot, BATCH);
            }
        }
        return moved;
    }

    /** Moves the remaining keys, assigns the slot to the target on every master and waits until all agree. */
    public void complete() {
        moveKeys();
        String slotText = Integer.toString(slot);
        String targetId = cluster.nodeId(target);
        RedisClusterProcess.clusterCommand(target, "SETSLOT", slotText, "NODE", targetId);
        RedisClusterProcess.clusterCommand(source, "SETSLOT", slotText, "NODE", targetId);
        for (RedisServerProcess master : cluster.masters()) {
            if (master != target && master != source) {
                RedisClusterProcess.clusterCommand(master, "SETSLOT", slotText, "NODE", targetId);
            }
        }
        cluster.awaitHealthy();
    }

    @Override
    public String toString() {
        return "migration of slot " + slot + " from " + source + " to " + target;
    }
}
