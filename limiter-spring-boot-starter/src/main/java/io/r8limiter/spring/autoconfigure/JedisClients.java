package io.r8limiter.spring.autoconfigure;

import io.r8limiter.redis.RedisClients;
import io.r8limiter.spring.autoconfigure.RedisTarget.Node;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds the Jedis client for a {@link RedisTarget}: pooled standalone, Sentinel-managed, or cluster, with the small
 * timeouts and the pool of {@link RedisClients} plus Boot's credentials and TLS. TLS
 * always verifies that the server's certificate names the host connected to.
 */
final class JedisClients {

    private JedisClients() {}

    static UnifiedJedis create(
            RedisTarget target, Duration socketTimeout, Duration connectTimeout, @Nullable String clientName) {
        JedisClientConfig config = config(target, socketTimeout, connectTimeout, clientName);
        GenericObjectPoolConfig<Connection> pool = RedisClients.pool(socketTimeout);
        return switch (target.mode()) {
            case STANDALONE ->
                RedisClients.standalone(hostAndPort(target.nodes().get(0)), config, socketTimeout);
            case CLUSTER -> new JedisCluster(hostsAndPorts(target), config, 2, socketTimeout.multipliedBy(2), pool);
            case SENTINEL ->
                new JedisSentineled(
                        target.master(),
                        config,
                        pool,
                        hostsAndPorts(target),
                        sentinelConfig(target, socketTimeout, connectTimeout));
        };
    }

    /** The client settings of the Redis servers themselves. */
    static JedisClientConfig config(
            RedisTarget target, Duration socketTimeout, Duration connectTimeout, @Nullable String clientName) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .socketTimeoutMillis(millis(socketTimeout))
                .connectionTimeoutMillis(millis(connectTimeout))
                .user(target.username())
                .password(target.password())
                .clientName(clientName)
                .database(target.database());
        return tls(b, target).build();
    }

    /** The client settings of the sentinels, which have their own credentials. */
    static JedisClientConfig sentinelConfig(RedisTarget target, Duration socketTimeout, Duration connect) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .socketTimeoutMillis(millis(socketTimeout))
                .connectionTimeoutMillis(millis(connect))
                .user(target.sentinelUsername())
                .password(target.sentinelPassword());
        return tls(b, target).build();
    }

    /**
     * TLS with the server's name checked against its certificate during the handshake, and the bundle's trust
     * material, protocols and ciphers when one is configured: without the check any certificate the JVM trusts
     * would do, whoever it was issued to.
     */
    private static DefaultJedisClientConfig.Builder tls(DefaultJedisClientConfig.Builder b, RedisTarget target) {
        b.ssl(target.ssl());
        if (!target.ssl()) {
            return b;
        }
        SslBundle bundle = target.sslBundle();
        if (bundle != null) {
            b.sslSocketFactory(bundle.createSslContext().getSocketFactory());
        }
        return b.sslParameters(sslParameters(bundle));
    }

    private static SSLParameters sslParameters(@Nullable SslBundle bundle) {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (bundle != null) {
            SslOptions options = bundle.getOptions();
            if (options.getCiphers() != null) {
                parameters.setCipherSuites(options.getCiphers());
            }
            if (options.getEnabledProtocols() != null) {
                parameters.setProtocols(options.getEnabledProtocols());
            }
        }
        return parameters;
    }

    private static Set<HostAndPort> hostsAndPorts(RedisTarget target) {
        Set<HostAndPort> set = new LinkedHashSet<>();
        target.nodes().forEach(node -> set.add(hostAndPort(node)));
        return set;
    }

    private static HostAndPort hostAndPort(Node node) {
        return new HostAndPort(node.host(), node.port());
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }
}
