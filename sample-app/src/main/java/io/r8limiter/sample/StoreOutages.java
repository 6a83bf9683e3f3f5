package io.r8limiter.sample;

import java.util.List;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Tells a store that could not answer from a fault of the service. An outage is Redis refusing or dropping the
 * connection or timing out, no reachable cluster node, the pool unable to lend a connection, or a server that is up
 * but cannot serve yet (busy script, loading its data, no master); the core passes these on as the Jedis exception
 * or wrapped in an {@link IllegalStateException}. Anything else, including other Redis error replies, is a fault.
 */
final class StoreOutages {

    private static final List<String> NOT_SERVING_REPLIES = List.of("LOADING", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN");
    private static final int MAX_CAUSES = 10;

    private StoreOutages() {}

    /** Whether {@code failure}, or one of its causes, says the store could not answer. */
    static boolean isOutage(Throwable failure) {
        Throwable t = failure;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (isOutageItself(t)) {
                return true;
            }
        }
        return false;
    }

    /** Thrown by the service itself when the core answered with its failure mode where only the store can answer. */
    static final class Unavailable extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private static boolean isOutageItself(Throwable t) {
        return t instanceof Unavailable
                || t instanceof JedisConnectionException
                || t instanceof JedisClusterOperationException
                || t instanceof JedisBusyException
                || t.getClass() == JedisException.class // the pool could not lend a connection
                || (t instanceof JedisDataException && notServing(t.getMessage()));
    }

    private static boolean notServing(String reply) {
        return reply != null && NOT_SERVING_REPLIES.stream().anyMatch(reply::startsWith);
    }
}
