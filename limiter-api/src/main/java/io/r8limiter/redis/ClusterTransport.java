package io.r8limiter.redis;

import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
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

    private final JedisCluster cluster;

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
            }
        }
        throw new JedisClusterOperationException("more than " + MAX_REDIRECTS + " redirects for slot " + slot);
    }

    @Override
    public void dropIdleConnections() {
        cluster.getClusterNodes().values().forEach(ConnectionPool::clear);
    }

    private Connection connectTo(HostAndPort node) {
        ConnectionPool pool = cluster.getClusterNodes().get(node.toString());
        if (pool == null) {
            throw new JedisClusterOperationException("redirected to unknown node " + node);
        }
        return pool.getResource();
    }

    /**
     * Lets Jedis renew its slot map: a read of the key through the cluster client meets the same MOVED and renews the
     * map itself, which has no public method for it. A read is harmless to repeat.
     */
    private void refreshSlots(String key) {
        cluster.exists(key);
    }
}
