package io.r8limiter.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.testkit.RedisSentinelGroup;
import io.r8limiter.testkit.RedisServerProcess;
import io.r8limiter.testkit.SharedRedis;
import jakarta.servlet.FilterConfig;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** The filter in web.xml on a real Redis Cluster and on a real Sentinel group, found through their init-params. */
class RedisTopologyWebXmlTest {

    private static RedisSentinelGroup sentinels;

    @TempDir
    Path webapp;

    @BeforeAll
    static void startSentinels() {
        sentinels = RedisSentinelGroup.start();
    }

    @AfterAll
    static void stopSentinels() {
        sentinels.close();
    }

    @Test
    void clusterNodes_inWebXml_keepTheBucketsOnTheCluster() throws Exception {
        String params = param("redis-cluster-nodes", hosts(SharedRedis.cluster().hostAndPorts()));

        try (JettyWebApp app = start(params)) {
            assertLimitsOnRedis(app);
        }
    }

    @Test
    void sentinels_inWebXml_keepTheBucketsOnTheMaster() throws Exception {
        String params = param("redis-sentinels", hosts(sentinels.sentinelHostAndPorts()))
                + param("redis-sentinel-master", sentinels.masterName());

        try (JettyWebApp app = start(params)) {
            assertLimitsOnRedis(app);
            try (var primary = sentinels.primary().jedis()) {
                assertThat(primary.keys("topology-test:*")).isNotEmpty();
            }
        }
    }

    @Test
    void sentinelsThatDoNotKnowTheMaster_failDeployment_namingTheParamAndTheMaster() {
        String params = param("redis-sentinels", hosts(sentinels.sentinelHostAndPorts()))
                + param("redis-sentinel-master", "nobody");

        assertThatThrownBy(() -> start(params))
                .hasStackTraceContaining("init-param redis-sentinels: no Sentinel of "
                        + hosts(sentinels.sentinelHostAndPorts()) + " named the address of master 'nobody'");
    }

    @Test
    void redisWithoutResilience4j_failsInitBeforeAnyClientIsBuilt() throws Exception {
        // The class path was once checked only after the Sentinel client had been built. Closing that client a
        // moment later could leave a Jedis listener thread running for the life of the JVM: Jedis starts the
        // thread before it can be told to stop. Nothing may touch the Sentinels before init can succeed.
        Map<String, String> params = Map.of(
                "capacity", "2",
                "refill-period", "1m",
                "backend", "redis",
                "redis-sentinels", hosts(sentinels.sentinelHostAndPorts()),
                "redis-sentinel-master", sentinels.masterName());
        List<Jedis> watchers =
                sentinels.sentinels().stream().map(RedisServerProcess::jedis).toList();
        long connectionsBefore = connectionsReceived(watchers);

        try (URLClassLoader withoutBreaker = classPathWithout("resilience4j")) {
            Throwable failure = initFilter(withoutBreaker, params);

            assertThat(failure.getClass().getName()).isEqualTo("jakarta.servlet.ServletException");
            assertThat(failure.getMessage())
                    .startsWith("rate-limit filter 'no-breaker': init-param backend redis needs Jedis and"
                            + " Resilience4j's circuit breaker on the class path")
                    .endsWith("missing: io.github.resilience4j.circuitbreaker.CircuitBreaker");
        }
        assertThat(connectionsReceived(watchers))
                .as("connections the Sentinels accepted while init failed")
                .isEqualTo(connectionsBefore);
        watchers.forEach(Jedis::close);
    }

    /** Connections the servers behind {@code watchers} have accepted so far, the watchers' own included. */
    private static long connectionsReceived(List<Jedis> watchers) {
        return watchers.stream()
                .flatMap(jedis -> jedis.info("stats").lines())
                .filter(line -> line.startsWith("total_connections_received:"))
                .mapToLong(line ->
                        Long.parseLong(line.substring(line.indexOf(':') + 1).trim()))
                .sum();
    }

    /** The failure of {@code init} of a filter loaded, with the servlet API, by {@code loader}. */
    private static Throwable initFilter(ClassLoader loader, Map<String, String> params) throws Exception {
        Class<?> filterType = loader.loadClass(RateLimitFilter.class.getName());
        Class<?> configType = loader.loadClass(FilterConfig.class.getName());
        Object config = Proxy.newProxyInstance(
                loader, new Class<?>[] {configType}, (proxy, method, args) -> switch (method.getName()) {
                    case "getFilterName" -> "no-breaker";
                    case "getInitParameter" -> params.get((String) args[0]);
                    case "getInitParameterNames" -> Collections.enumeration(params.keySet());
                    default -> null;
                });
        Object filter = filterType.getConstructor().newInstance();
        try {
            filterType.getMethod("init", configType).invoke(filter, config);
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
        throw new AssertionError("init succeeded without Resilience4j");
    }

    /** This test's class path, less the entries whose path contains {@code left}, over the platform loader. */
    private static URLClassLoader classPathWithout(String left) throws Exception {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.contains(left)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    private static void assertLimitsOnRedis(JettyWebApp app) {
        Http http = new Http(app.port());
        String user = "topology-" + UUID.randomUUID();
        List<HttpResponse<String>> responses = new ArrayList<>();

        for (int i = 0; i < 3; i++) {
            responses.add(http.get("/x", "X-User", user));
        }

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 429);
        assertThat(responses.get(1).headers().firstValue("RateLimit")).hasValue("\"limited\";r=0;t=30");
        RateLimitFilter filter = app.filter("limited");
        Decision stored = filter.limiter().peek(filter.policy(), BucketKey.of("header:x-user", user));
        assertThat(stored.degraded())
                .as("answered by Redis, not the failure mode")
                .isFalse();
        assertThat(stored.remaining()).isZero();
    }

    private JettyWebApp start(String redisParams) throws Exception {
        String template = Files.readString(Path.of("src/test/resources/topology-webapp/web.xml"));
        Files.createDirectories(webapp.resolve("WEB-INF"));
        Files.writeString(
                webapp.resolve("WEB-INF/web.xml"),
                template.replace("@REDIS_PARAMS@", redisParams),
                StandardCharsets.UTF_8);
        return JettyWebApp.start(webapp);
    }

    private static String param(String name, String value) {
        return "<init-param><param-name>" + name + "</param-name><param-value>" + value
                + "</param-value></init-param>\n";
    }

    private static String hosts(Collection<HostAndPort> hosts) {
        return hosts.stream().map(HostAndPort::toString).collect(Collectors.joining(", "));
    }
}
