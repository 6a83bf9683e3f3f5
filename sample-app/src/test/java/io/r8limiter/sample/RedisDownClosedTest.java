package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** C15, failure mode CLOSED: while Redis is unreachable every decision is a denial with a wait of at least 1 ms. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "r8limiter.failure-mode=closed")
class RedisDownClosedTest extends RedisDownTestBase {

    @Test
    void closed_deniesEverything() {
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.allowed()).isFalse();
            assertThat(a.retryAfter()).isGreaterThanOrEqualTo(1);
            assertThat(Long.parseLong(a.header("Retry-After"))).isGreaterThanOrEqualTo(1);
        });
    }
}
