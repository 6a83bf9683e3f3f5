package io.r8limiter.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.spring.autoconfigure.RedisTarget.Mode;
import io.r8limiter.spring.autoconfigure.RedisTarget.Node;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

class RedisTargetsTest {

    @Test
    void hostAndPort_areTheDefaultSource() {
        SpringDataRedisSettings settings = new SpringDataRedisSettings();
        settings.setPort(6390);
        settings.setPassword("secret");
        settings.setDatabase(2);

        RedisTarget target = RedisTargets.fromProperties(settings, null);

        assertThat(target.mode()).isEqualTo(Mode.STANDALONE);
        assertThat(target.nodes()).containsExactly(new Node("localhost", 6390));
        assertThat(target.password()).isEqualTo("secret");
        assertThat(target.database()).isEqualTo(2);
        assertThat(target.ssl()).isFalse();
    }

    @Test
    void url_winsOverHostAndPort_andRedissTurnsOnTls() {
        SpringDataRedisSettings settings = new SpringDataRedisSettings();
        settings.setHost("ignored");
        settings.setUrl("rediss://user:pa:ss@cache.example:6380/3");

        RedisTarget target = RedisTargets.fromProperties(settings, null);

        assertThat(target.nodes()).containsExactly(new Node("cache.example", 6380));
        assertThat(target.username()).isEqualTo("user");
        assertThat(target.password()).isEqualTo("pa:ss");
        assertThat(target.database()).isEqualTo(3);
        assertThat(target.ssl()).isTrue();
    }

    @Test
    void sentinel_winsOverUrl() {
        SpringDataRedisSettings settings = new SpringDataRedisSettings();
        settings.setUrl("redis://ignored:1");
        settings.getSentinel().setMaster("mymaster");
        settings.getSentinel().setNodes(List.of("10.0.0.1:26379", "[::1]:26380"));
        settings.getSentinel().setPassword("sentinel-secret");

        RedisTarget target = RedisTargets.fromProperties(settings, null);

        assertThat(target.mode()).isEqualTo(Mode.SENTINEL);
        assertThat(target.master()).isEqualTo("mymaster");
        assertThat(target.nodes()).containsExactly(new Node("10.0.0.1", 26379), new Node("::1", 26380));
        assertThat(target.sentinelPassword()).isEqualTo("sentinel-secret");
    }

    @Test
    void sentinel_winsOverCluster_asInSpringBoot() {
        // Boot 4 checks Sentinel before Cluster; reading them the other way round would send the limiter to
        // different servers than the application's own Redis client when both are set.
        SpringDataRedisSettings settings = new SpringDataRedisSettings();
        settings.getSentinel().setMaster("mymaster");
        settings.getSentinel().setNodes(List.of("10.0.0.1:26379"));
        settings.getCluster().setNodes(List.of("127.0.0.1:7000", "127.0.0.1:7001"));

        RedisTarget target = RedisTargets.fromProperties(settings, null);

        assertThat(target.mode()).isEqualTo(Mode.SENTINEL);
        assertThat(target.nodes()).containsExactly(new Node("10.0.0.1", 26379));
    }

    @Test
    void cluster_winsOverUrl_andSslEnabledIsHonoured() {
        SpringDataRedisSettings settings = new SpringDataRedisSettings();
        settings.setUrl("redis://ignored:1");
        settings.getCluster().setNodes(List.of("127.0.0.1:7000", "127.0.0.1:7001"));
        settings.getSsl().setEnabled(true);

        RedisTarget target = RedisTargets.fromProperties(settings, null);

        assertThat(target.mode()).isEqualTo(Mode.CLUSTER);
        assertThat(target.nodes()).hasSize(2);
        assertThat(target.ssl()).isTrue();
    }

    @Test
    void masterReplica_isRefusedWithTheFix() {
        // Boot 4 reads spring.data.redis.masterreplica.nodes; silently connecting to host and port instead
        // would limit against a server the application never named.
        SpringDataRedisSettings settings = new SpringDataRedisSettings();
        settings.getMasterreplica().setNodes(List.of("10.0.0.1:6379", "10.0.0.2:6379"));

        assertThatThrownBy(() -> RedisTargets.fromProperties(settings, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("spring.data.redis.masterreplica.nodes is not supported")
                .hasMessageContaining("spring.data.redis.sentinel.*");
    }

    @Test
    void bootsConnectionDetails_putSentinelBeforeCluster_andRefuseMasterReplica() {
        DataRedisConnectionDetails both = new DataRedisConnectionDetails() {
            @Override
            public Sentinel getSentinel() {
                return sentinel();
            }

            @Override
            public Cluster getCluster() {
                return () -> List.of(new DataRedisConnectionDetails.Node("127.0.0.1", 7000));
            }
        };
        DataRedisConnectionDetails masterReplica = new DataRedisConnectionDetails() {
            @Override
            public MasterReplica getMasterReplica() {
                return () -> List.of(new DataRedisConnectionDetails.Node("10.0.0.1", 6379));
            }
        };

        RedisTarget target = DataRedisTargets.from(both, new SpringDataRedisSettings());

        assertThat(target.mode()).isEqualTo(Mode.SENTINEL);
        assertThat(target.master()).isEqualTo("mymaster");
        assertThatThrownBy(() -> DataRedisTargets.from(masterReplica, new SpringDataRedisSettings()))
                .hasMessageStartingWith("spring.data.redis.masterreplica.nodes is not supported");
    }

    @Test
    void badNode_namesTheProperty() {
        SpringDataRedisSettings settings = new SpringDataRedisSettings();
        settings.getCluster().setNodes(List.of("127.0.0.1"));

        assertThatThrownBy(() -> RedisTargets.fromProperties(settings, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spring.data.redis.cluster.nodes must hold host:port entries but had '127.0.0.1'");
    }

    @Test
    void badUrlScheme_namesTheProperty() {
        SpringDataRedisSettings settings = new SpringDataRedisSettings();
        settings.setUrl("http://x:1");

        assertThatThrownBy(() -> RedisTargets.fromProperties(settings, null))
                .hasMessage("spring.data.redis.url must start with redis:// or rediss:// but was 'http://x:1'");
    }

    private static DataRedisConnectionDetails.Sentinel sentinel() {
        return new DataRedisConnectionDetails.Sentinel() {
            @Override
            public int getDatabase() {
                return 0;
            }

            @Override
            public String getMaster() {
                return "mymaster";
            }

            @Override
            public List<DataRedisConnectionDetails.Node> getNodes() {
                return List.of(new DataRedisConnectionDetails.Node("10.0.0.1", 26379));
            }

            @Override
            public String getUsername() {
                return null;
            }

            @Override
            public String getPassword() {
                return null;
            }
        };
    }
}
