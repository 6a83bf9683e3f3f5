package io.r8limiter.bench.http;

import io.r8limiter.bench.MinimalScript;
import io.r8limiter.redis.RedisClients;
import java.net.URI;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * {@code GET /raw} of {@link SpringBenchApp} on Redis: the bare handler after one raw Jedis EVALSHA of the minimal
 * token-bucket script, on a pool like the starter's, with no limiter code at all. It is the floor the limited
 * endpoint is compared with: what one uncoalesced round trip per request costs on this machine.
 */
@RestController
@ConditionalOnProperty(name = "r8limiter.backend", havingValue = "redis")
class RawRedisController implements DisposableBean {

    private final JedisPooled jedis;
    private final MinimalScript script;

    RawRedisController(@Value("${spring.data.redis.url}") URI url) {
        this.jedis = RedisClients.standalone(new HostAndPort(url.getHost(), url.getPort()), Duration.ofSeconds(2));
        double tokensPerMicro = BenchPolicy.REFILL_TOKENS / 1_000_000.0; // refilled per second
        this.script = new MinimalScript(jedis, BenchPolicy.CAPACITY, tokensPerMicro);
    }

    @GetMapping(path = "/raw", produces = "text/plain")
    String raw(@RequestHeader(name = "X-User", defaultValue = "anonymous") String user) {
        if (!script.tryConsume("raw:" + user)) {
            throw new IllegalStateException("the benchmark policy never denies, but the minimal script did");
        }
        return BenchController.BODY;
    }

    @Override
    public void destroy() {
        jedis.close();
    }
}
