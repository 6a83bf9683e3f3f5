package io.r8limiter.redis;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Sends a command through a connection to the node that owns the key's slot, following MOVED and ASK redirects
 * but never resending after a connection error.
 *
 * <p>{@link JedisCluster}'s own executor retries a command after a read timeout, which would run a token-spending
 * script twice; limiting its attempts to one would also stop it following redirects. A redirect means the node ran
 * nothing, so following it here is safe; any other failure goes back to the caller (and the failure mode answers).
 */
final class ClusterTransport implements Transport {

    /** Most redirects followed for one command, as many as a slot migration can cause and a little more. */
    private static final int MAX_REDIRECTS = 5;

    /** Least time between two slot-map renewals started by connection failures. */
    private static final long RENEW_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final JedisCluster cluster;
    private final AtomicBoolean renewing = new AtomicBoolean();
    private volatile long lastRenewal = System.nanoTime() - RENEW_INTERVAL_NANOS;

    ClusterTransport(JedisCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public Object execute(String key, CommandObject<Object> command) {
        int slot = JedisClusterCRC16.getSlot(key);
        HostAndPort target = null;
        boolean asking = false;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            try (Connection connection = target == null ? cluster.getConnectionFromSlot(slot) : connectTo(target)) {
                if (asking) {
                    connection.executeCommand(Protocol.Command.ASKING);
                }
                return connection.executeCommand(command);
            } catch (JedisMovedDataException e) {
                target = e.getTargetNode();
                asking = false;
                refreshSlots(key);
            } catch (JedisAskDataException e) {
                target = e.getTargetNode();
                asking = true;
            } catch (JedisConnectionException e) {
                renewSlotsInBackground(key);
                throw e;
            }
        }
        throw new JedisClusterOperationException("more than " + MAX_REDIRECTS + " redirects for slot " + slot);
    }

    private Connection connectTo(HostAndPort node) {
        ConnectionPool pool = cluster.getClusterNodes().get(node.toString());
        if (pool == null) {
            throw new JedisClusterOperationException("redirected to unknown node " + node);
        }
        return pool.getResource();
    }

    /**
     * After a failover the slot map still names the dead master, and decisions (which bypass the cluster client's
     * executor) would never learn the new one: a read of the key through the cluster client, on a background thread,
     * lets Jedis renew the map. One renewal at a time, at most every 200 ms; the decision itself is not delayed.
     */
    private void renewSlotsInBackground(String key) {
        long now = System.nanoTime();
        if (now - lastRenewal < RENEW_INTERVAL_NANOS || !renewing.compareAndSet(false, true)) {
            return;
        }
        lastRenewal = now;
        Thread thread = new Thread(
                () -> {
                    try {
                        refreshSlots(key);
                    } catch (RuntimeException e) {
                        // the next failure tries again
                    } finally {
                        renewing.set(false);
                    }
                },
                "r8limiter-slot-renewal");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Lets Jedis renew its slot map: a read of the key through the cluster client meets the same MOVED (or connection
     * failures) and renews the map itself, which has no public method for it. A read is harmless to repeat.
     */
    private void refreshSlots(String key) {
        cluster.exists(key);
    }
}
