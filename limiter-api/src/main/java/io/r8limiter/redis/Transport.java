package io.r8limiter.redis;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The one seam between the backend and Jedis: sends a command that touches {@code key} and returns the reply,
 * never sending it a second time after it may have reached the server.
 */
interface Transport {

    /** Sends {@code command}, which touches only {@code key}, and returns its reply. */
    Object execute(String key, CommandObject<Object> command);

    /** Drops idle pooled connections, which a server restart has left dead. */
    void dropIdleConnections();

    /** The transport for {@code jedis}: through the slot's own connection on a Cluster, otherwise directly. */
    static Transport of(UnifiedJedis jedis) {
        if (jedis instanceof JedisCluster cluster) {
            return new ClusterTransport(cluster);
        }
        return new Transport() {
            @Override
            public Object execute(String key, CommandObject<Object> command) {
                return jedis.executeCommand(command);
            }

            @Override
            public void dropIdleConnections() {
                if (jedis instanceof JedisPooled pooled) {
                    pooled.getPool().clear();
                }
            }
        };
    }

    /**
     * Whether the server closed or reset the connection (end of stream, reset, broken pipe) rather than failing to
     * answer in time. A pooled connection left over from before a server restart fails this way on first use.
     */
    static boolean closedByPeer(JedisConnectionException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return false;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.startsWith("Unexpected end of stream")
                    || (t instanceof SocketException
                            && (message.contains("Connection reset") || message.contains("Broken pipe")))) {
                return true;
            }
        }
        return false;
    }
}
