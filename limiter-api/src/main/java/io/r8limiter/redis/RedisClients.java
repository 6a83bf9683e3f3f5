package io.r8limiter.redis;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;

/**
 * Jedis clients configured for a rate limiter: small connect and read timeouts, a pool that never makes a caller
 * wait longer than the timeout for a connection, and no retries of a command that may have reached the server.
 *
 * <p>Idle pooled connections are checked with a PING every {@link #IDLE_CHECK_INTERVAL} (off the decision path) and
 * replaced when the server closed them, as a restart does. A decision is never resent, so one sent on such a
 * connection before that check is answered by the failure mode; standalone clients also PING a connection that sat
 * idle for 10 ms or more before using it, so a quiet restart costs no decision.
 *
 * @since 0.1
 */
public final class RedisClients {

    /** The default connect and read timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);

    /** How often idle pooled connections are checked, so that one the server closed is dropped before use. */
    public static final Duration IDLE_CHECK_INTERVAL = Duration.ofMillis(250);

    private RedisClients() {}

    /** A client of one standalone Redis server. */
    public static JedisPooled standalone(HostAndPort server, Duration timeout) {
        return standalone(server, config(timeout), timeout);
    }

    /**
     * A client of one standalone Redis server with the given settings (credentials, database, TLS), on the
     * {@linkplain #pool pool} every r8limiter client uses; in addition, a connection borrowed after sitting idle for
     * 10 ms or more is PINGed first, so that a decision right after a server restart goes out on a live connection
     * instead of meeting the failure mode. Jedis opens one connection as the client is built, to learn the
     * server's protocol; a server that is down then costs only that attempt.
     */
    public static JedisPooled standalone(HostAndPort server, JedisClientConfig config, Duration poolWait) {
        GenericObjectPoolConfig<Connection> pool = pool(poolWait);
        pool.setTestOnBorrow(true);
        ConnectionFactory connections =
                new ConnectionFactory(requireNonNull(server, "server"), requireNonNull(config, "config"));
        return new JedisPooled(pool, new IdleCheckedConnections(connections));
    }

    /** A client of the master that the Sentinels of {@code masterName} point to; follows failovers. */
    public static JedisSentineled sentinel(String masterName, Set<HostAndPort> sentinels, Duration timeout) {
        return new JedisSentineled(masterName, config(timeout), pool(timeout), sentinels, config(timeout));
    }

    /**
     * A Redis Cluster client. Its own retries (two attempts within twice the timeout) apply only to resets, which
     * are safe to repeat; decisions go through the slot's connection and are never resent after a timeout.
     */
    public static JedisCluster cluster(Set<HostAndPort> seeds, Duration timeout) {
        return new JedisCluster(seeds, config(timeout), 2, timeout.multipliedBy(2), pool(timeout));
    }

    /** Connect and read timeouts of {@code timeout}. */
    public static JedisClientConfig config(Duration timeout) {
        int millis = Math.toIntExact(checked(timeout).toMillis());
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .build();
    }

    /**
     * The connection pool every r8limiter client uses: a caller never waits longer than {@code timeout} for a
     * connection, and idle connections are checked every {@link #IDLE_CHECK_INTERVAL}, so one the server closed is
     * dropped before a decision could be sent on it. Up to 64 connections.
     */
    public static GenericObjectPoolConfig<Connection> pool(Duration timeout) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(64);
        pool.setMaxIdle(64);
        pool.setMaxWait(checked(timeout));
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(IDLE_CHECK_INTERVAL);
        pool.setNumTestsPerEvictionRun(-1);
        pool.setJmxEnabled(false);
        return pool;
    }

    private static Duration checked(Duration timeout) {
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
        return timeout;
    }
}
