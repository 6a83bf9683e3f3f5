package io.r8limiter.spring.autoconfigure;

import io.r8limiter.spring.autoconfigure.RedisTarget.Mode;
import io.r8limiter.spring.autoconfigure.RedisTarget.Node;
import io.r8limiter.spring.autoconfigure.RedisTarget.Url;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/** Reads a {@link RedisTarget} from the {@code spring.data.redis.*} properties, with Boot's precedence. */
final class RedisTargets {

    private RedisTargets() {}

    /**
     * Sentinel wins over Cluster, Cluster over a URL, a URL over host and port, in Spring Boot's order; static
     * master-replica setups are refused, since the limiter must write to one primary.
     */
    static RedisTarget fromProperties(SpringDataRedisSettings s, @Nullable SslBundles bundles) {
        SslBundle bundle = bundle(s, bundles);
        boolean ssl = s.getSsl().on();
        if (s.getSentinel().getMaster() != null) {
            return sentinel(s, ssl, bundle);
        }
        if (!s.getCluster().getNodes().isEmpty()) {
            List<Node> nodes = Node.parseAll(
                    "spring.data.redis.cluster.nodes", s.getCluster().getNodes());
            return new RedisTarget(
                    Mode.CLUSTER, nodes, null, 0, s.getUsername(), s.getPassword(), null, null, ssl, bundle);
        }
        if (!s.getMasterreplica().getNodes().isEmpty()) {
            throw masterReplicaUnsupported();
        }
        if (s.getUrl() != null) {
            return url(s, Url.parse(s.getUrl()), ssl, bundle);
        }
        return new RedisTarget(
                Mode.STANDALONE,
                List.of(new Node(s.getHost(), s.getPort())),
                null,
                s.getDatabase(),
                s.getUsername(),
                s.getPassword(),
                null,
                null,
                ssl,
                bundle);
    }

    /** Why a static master-replica setup is refused, and what to configure instead. */
    static IllegalArgumentException masterReplicaUnsupported() {
        return new IllegalArgumentException("spring.data.redis.masterreplica.nodes is not supported by the r8limiter"
                + " Redis backend, which must write every decision to one primary; point spring.data.redis.url"
                + " (or host and port) at the primary, or use spring.data.redis.sentinel.*");
    }

    private static RedisTarget sentinel(SpringDataRedisSettings s, boolean ssl, @Nullable SslBundle bundle) {
        List<Node> nodes = Node.parseAll(
                "spring.data.redis.sentinel.nodes", s.getSentinel().getNodes());
        return new RedisTarget(
                Mode.SENTINEL,
                nodes,
                s.getSentinel().getMaster(),
                s.getDatabase(),
                s.getUsername(),
                s.getPassword(),
                s.getSentinel().getUsername(),
                s.getSentinel().getPassword(),
                ssl,
                bundle);
    }

    private static RedisTarget url(SpringDataRedisSettings s, Url url, boolean ssl, @Nullable SslBundle bundle) {
        return new RedisTarget(
                Mode.STANDALONE,
                List.of(url.node()),
                null,
                url.database(),
                url.username(),
                url.password(),
                null,
                null,
                ssl || url.ssl(),
                bundle);
    }

    static @Nullable SslBundle bundle(SpringDataRedisSettings s, @Nullable SslBundles bundles) {
        String bundle = s.getSsl().getBundle();
        if (bundle == null) {
            return null;
        }
        if (bundles == null) {
            throw new IllegalStateException(
                    "spring.data.redis.ssl.bundle=" + bundle + " but no SslBundles bean exists");
        }
        return bundles.getBundle(bundle);
    }
}
