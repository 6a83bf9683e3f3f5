package io.r8limiter.redis;

import java.time.Duration;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.PooledObjectFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionFactory;

/**
 * Jedis connections whose validation on borrow costs a PING only when the connection sat idle long enough for the
 * server to have restarted meanwhile.
 *
 * <p>A decision is never sent twice, so one sent on a connection a restarted server left dead could only be answered
 * by the failure mode. A connection returned to the pool less than {@link #CHECK_AFTER} ago was in use when the server
 * was last seen alive, and only its local state is checked; an older one is PINGed first, and replaced when that
 * fails. Under load connections come back within microseconds, so the check costs nothing there.
 */
final class IdleCheckedConnections implements PooledObjectFactory<Connection> {

    /** Idle time after which a borrowed connection is PINGed before a command goes on it. */
    static final Duration CHECK_AFTER = Duration.ofMillis(10);

    private final ConnectionFactory connections;

    IdleCheckedConnections(ConnectionFactory connections) {
        this.connections = connections;
    }

    @Override
    public PooledObject<Connection> makeObject() throws Exception {
        return connections.makeObject();
    }

    @Override
    public void activateObject(PooledObject<Connection> p) throws Exception {
        connections.activateObject(p);
    }

    @Override
    public void passivateObject(PooledObject<Connection> p) throws Exception {
        connections.passivateObject(p);
    }

    @Override
    public void destroyObject(PooledObject<Connection> p) throws Exception {
        connections.destroyObject(p);
    }

    @Override
    public boolean validateObject(PooledObject<Connection> p) {
        if (p.getIdleDuration().compareTo(CHECK_AFTER) < 0) {
            Connection c = p.getObject();
            return c.isConnected() && !c.isBroken();
        }
        return connections.validateObject(p);
    }
}
