package io.r8limiter.redis;

import redis.clients.jedis.CommandObject;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;

/**
 * The one seam between the backend and Jedis: sends a command that touches {@code key} and returns the reply,
 * never sending it a second time after it may have reached the server.
 */
interface Transport {

    /** Sends {@code command}, which touches only {@code key}, and returns its reply. */
    Object execute(String key, CommandObject<Object> command);

    /** The transport for {@code jedis}: through the slot's own connection on a Cluster, otherwise directly. */
    static Transport of(UnifiedJedis jedis) {
        if (jedis instanceof JedisCluster cluster) {
            return new ClusterTransport(cluster);
        }
        return (key, command) -> jedis.executeCommand(command);
    }
}
