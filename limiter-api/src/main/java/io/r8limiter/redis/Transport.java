package io.r8limiter.redis;

import java.lang.reflect.Field;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ClusterConnectionProvider;

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

    /**
     * Whether {@code jedis} talks to a Cluster through a {@link ClusterConnectionProvider}, which Jedis does not
     * expose: read reflectively, and {@code false} when Jedis hides it (then only a {@link JedisCluster} is known).
     */
    static boolean onClusterProvider(UnifiedJedis jedis) {
        try {
            Field provider = UnifiedJedis.class.getDeclaredField("provider");
            provider.setAccessible(true);
            return provider.get(jedis) instanceof ClusterConnectionProvider;
        } catch (ReflectiveOperationException | RuntimeException hidden) {
            return false;
        }
    }
}
