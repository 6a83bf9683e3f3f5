package io.r8limiter.spring.autoconfigure;

import io.r8limiter.spring.autoconfigure.RedisTarget.Mode;
import io.r8limiter.spring.autoconfigure.RedisTarget.Node;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/**
 * Reads a {@link RedisTarget} from Spring Boot's {@link DataRedisConnectionDetails}, which also covers service
 * connections (Testcontainers, Docker Compose). Loaded only when Boot's data-redis module is present.
 */
final class DataRedisTargets {

    private DataRedisTargets() {}

    /** Sentinel wins over Cluster, Cluster over master-replica (refused), and that over standalone, as in Boot. */
    static RedisTarget from(DataRedisConnectionDetails details, SpringDataRedisSettings settings) {
        SslBundle bundle = details.getSslBundle();
        boolean ssl = bundle != null || settings.getSsl().on() || isRediss(settings);
        if (details.getSentinel() != null) {
            return sentinel(details, details.getSentinel(), ssl, bundle);
        }
        if (details.getCluster() != null) {
            return new RedisTarget(
                    Mode.CLUSTER,
                    nodes(details.getCluster().getNodes()),
                    null,
                    0,
                    details.getUsername(),
                    details.getPassword(),
                    null,
                    null,
                    ssl,
                    bundle);
        }
        if (details.getMasterReplica() != null) {
            throw RedisTargets.masterReplicaUnsupported();
        }
        DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
        return new RedisTarget(
                Mode.STANDALONE,
                List.of(new Node(standalone.getHost(), standalone.getPort())),
                null,
                standalone.getDatabase(),
                details.getUsername(),
                details.getPassword(),
                null,
                null,
                ssl,
                bundle);
    }

    private static RedisTarget sentinel(
            DataRedisConnectionDetails details,
            DataRedisConnectionDetails.Sentinel sentinel,
            boolean ssl,
            @Nullable SslBundle bundle) {
        return new RedisTarget(
                Mode.SENTINEL,
                nodes(sentinel.getNodes()),
                sentinel.getMaster(),
                sentinel.getDatabase(),
                details.getUsername(),
                details.getPassword(),
                sentinel.getUsername(),
                sentinel.getPassword(),
                ssl,
                bundle);
    }

    private static boolean isRediss(SpringDataRedisSettings settings) {
        return settings.getUrl() != null && settings.getUrl().startsWith("rediss:");
    }

    private static List<Node> nodes(List<DataRedisConnectionDetails.Node> nodes) {
        List<Node> result = new ArrayList<>();
        for (DataRedisConnectionDetails.Node node : nodes) {
            result.add(new Node(node.host(), node.port()));
        }
        return result;
    }
}
