package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Policy;
import io.r8limiter.sample.Api.Answer;
import io.r8limiter.stats.LocalStats;
import io.r8limiter.stats.Offender;
import io.r8limiter.stats.RateLimitStats;
import io.r8limiter.stats.Totals;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Only a store that cannot answer is a 503: a fault of the service stays a 500, and neither shows a stack trace, an
 * exception name or the fault's message. The stats bean here fails on demand with the exception a test chooses.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "r8limiter.admin.token=SECRET")
class StoreFaultTest {

    private static final AtomicReference<RuntimeException> FAILURE = new AtomicReference<>();

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    @AfterEach
    void heal() {
        FAILURE.set(null);
    }

    // Every IllegalStateException used to be answered 503 "store unavailable", hiding real faults as outages.
    @Test
    void aFaultOfTheService_isA500ThatNamesNothing() {
        FAILURE.set(new IllegalStateException("internal invariant broken at 10.1.2.3:6379"));

        Answer stats = api.admin("GET", "/admin/stats");

        assertThat(stats.status()).isEqualTo(500);
        assertThat(stats.contentType()).isEqualTo("application/problem+json");
        assertThat(stats.detail()).isEqualTo("the service failed to answer; see its log");
        assertNamesNothing(stats);
    }

    @Test
    void aRedisErrorReply_isAFaultNotAnOutage() {
        FAILURE.set(new JedisDataException("WRONGTYPE Operation against a key holding the wrong kind of value"));

        Answer stats = api.admin("GET", "/admin/stats");

        assertThat(stats.status()).isEqualTo(500);
        assertNamesNothing(stats);
    }

    @Test
    void anUnreachableStore_isA503_whetherOrNotTheCoreWrapsIt() {
        List<RuntimeException> outages = List.of(
                new JedisConnectionException("Failed to connect to 10.1.2.3:6379"),
                new IllegalStateException(
                        "the bucket could not be reset: redis is unavailable",
                        new JedisConnectionException("Connection refused: 10.1.2.3:6379")),
                new JedisException("Could not get a resource from the pool"),
                new JedisDataException("LOADING Redis is loading the dataset in memory"));

        for (RuntimeException outage : outages) {
            FAILURE.set(outage);

            Answer stats = api.admin("GET", "/admin/stats");

            assertThat(stats.status()).as("%s", outage).isEqualTo(503);
            assertThat(stats.detail()).isEqualTo("the rate limiter's store is unavailable; retry later");
            assertNamesNothing(stats);
        }
    }

    private static void assertNamesNothing(Answer a) {
        assertThat(a.body())
                .doesNotContain("10.1.2.3")
                .doesNotContain("6379")
                .doesNotContain("Exception")
                .doesNotContain("invariant")
                .doesNotContain("WRONGTYPE")
                .doesNotContain("at io.r8limiter");
    }

    /** Stats that throw {@link #FAILURE} when set, and count in memory otherwise. */
    @TestConfiguration(proxyBeanMethods = false)
    static class FailingStats {

        @Bean
        RateLimitStats failingStats() {
            LocalStats real = LocalStats.builder().build();
            return new RateLimitStats() {
                @Override
                public void onDecision(Policy policy, BucketKey key, Decision decision, long backendNanos) {
                    real.onDecision(policy, key, decision, backendNanos);
                }

                @Override
                public Duration window() {
                    return real.window();
                }

                @Override
                public Totals totals() {
                    RuntimeException failure = FAILURE.get();
                    if (failure != null) {
                        throw failure;
                    }
                    return real.totals();
                }

                @Override
                public List<Offender> topOffenders(int limit) {
                    return real.topOffenders(limit);
                }
            };
        }
    }
}
