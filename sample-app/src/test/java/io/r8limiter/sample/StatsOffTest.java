package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.sample.Api.Answer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** With the starter's statistics switched off the service still starts and decides; only /admin/stats has nothing. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"r8limiter.admin.token=" + Api.TOKEN, "r8limiter.stats.enabled=false"})
class StatsOffTest {

    @LocalServerPort
    int port;

    @Test
    void decisionsGoOn_andStatsAnswer404NamingTheSwitch() {
        Api api = new Api(port);

        Answer decision = api.allow("alice", "r1");
        Answer stats = api.admin("GET", "/admin/stats");

        assertThat(decision.status()).isEqualTo(200);
        assertThat(decision.allowed()).isTrue();
        assertThat(stats.status()).isEqualTo(404);
        assertThat(stats.contentType()).isEqualTo("application/problem+json");
        assertThat(stats.detail()).contains("r8limiter.stats.enabled=false");
    }
}
