package io.r8limiter.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The subset of Spring Boot's {@code spring.data.redis.*} properties the Redis backend needs, bound by the starter
 * itself so that Jedis users need neither Spring Data Redis nor Lettuce. The names and meanings are Boot's own.
 * {@code timeout} and {@code connect-timeout} are left out on purpose: the limiter's client uses
 * {@code r8limiter.redis.timeout}.
 */
class SpringDataRedisSettings {

    private @Nullable String url;
    private String host = "localhost";
    private int port = 6379;
    private int database;
    private @Nullable String username;
    private @Nullable String password;
    private @Nullable String clientName;
    private final Ssl ssl = new Ssl();
    private final Sentinel sentinel = new Sentinel();
    private final Cluster cluster = new Cluster();
    private final Masterreplica masterreplica = new Masterreplica();

    public @Nullable String getUrl() {
        return url;
    }

    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public int getDatabase() {
        return database;
    }

    public void setDatabase(int database) {
        this.database = database;
    }

    public @Nullable String getUsername() {
        return username;
    }

    public void setUsername(@Nullable String username) {
        this.username = username;
    }

    public @Nullable String getPassword() {
        return password;
    }

    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    public @Nullable String getClientName() {
        return clientName;
    }

    public void setClientName(@Nullable String clientName) {
        this.clientName = clientName;
    }

    public Ssl getSsl() {
        return ssl;
    }

    public Sentinel getSentinel() {
        return sentinel;
    }

    public Cluster getCluster() {
        return cluster;
    }

    public Masterreplica getMasterreplica() {
        return masterreplica;
    }

    /** {@code spring.data.redis.ssl.*}. */
    public static class Ssl {
        private @Nullable Boolean enabled;
        private @Nullable String bundle;

        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getBundle() {
            return bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }

        /** Whether TLS is on: set explicitly, or implied by a bundle. */
        boolean on() {
            return enabled != null ? enabled : bundle != null;
        }
    }

    /** {@code spring.data.redis.sentinel.*}. */
    public static class Sentinel {
        private @Nullable String master;
        private List<String> nodes = new ArrayList<>();
        private @Nullable String username;
        private @Nullable String password;

        public @Nullable String getMaster() {
            return master;
        }

        public void setMaster(@Nullable String master) {
            this.master = master;
        }

        public List<String> getNodes() {
            return nodes;
        }

        public void setNodes(List<String> nodes) {
            this.nodes = nodes;
        }

        public @Nullable String getUsername() {
            return username;
        }

        public void setUsername(@Nullable String username) {
            this.username = username;
        }

        public @Nullable String getPassword() {
            return password;
        }

        public void setPassword(@Nullable String password) {
            this.password = password;
        }
    }

    /** {@code spring.data.redis.cluster.*}. */
    public static class Cluster {
        private List<String> nodes = new ArrayList<>();

        public List<String> getNodes() {
            return nodes;
        }

        public void setNodes(List<String> nodes) {
            this.nodes = nodes;
        }
    }

    /** {@code spring.data.redis.masterreplica.*}, read only to refuse it with a clear message. */
    public static class Masterreplica {
        private List<String> nodes = new ArrayList<>();

        public List<String> getNodes() {
            return nodes;
        }

        public void setNodes(List<String> nodes) {
            this.nodes = nodes;
        }
    }
}
