package io.r8limiter.bench.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot MVC benchmark app: {@code GET /bare} and {@code GET /limited}, the same handler with and without
 * {@code @RateLimited}, decided by the starter under {@link BenchPolicy}.
 *
 * <p>In memory by default; {@code --r8limiter.backend=redis --spring.data.redis.url=redis://127.0.0.1:PORT} puts
 * the buckets on Redis. Logs only warnings. Any Spring property can be given as {@code --name=value}, for example
 * {@code --server.port=8081}.
 *
 * @since 0.1
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SpringBenchApp {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(SpringBenchApp.class);
        app.setDefaultProperties(defaults());
        app.run(args);
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>(BenchPolicy.springProperties());
        defaults.put("spring.main.banner-mode", "off");
        defaults.put("logging.level.root", "warn");
        defaults.put("server.address", "127.0.0.1");
        // issue 9 measures with stats off; --r8limiter.stats.enabled=true measures them
        defaults.put("r8limiter.stats.enabled", false);
        return defaults;
    }
}
