package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.FailureMode;
import io.r8limiter.RateLimiter;
import io.r8limiter.redis.RedisBackend;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** C15 with no failure mode configured: the documented default, OPEN, answers while Redis is unreachable. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisDownUnconfiguredTest extends RedisDownTestBase {

    @Autowired
    RateLimiter limiter;

    @Test
    void withoutConfiguration_theFailureModeIsOpenAndAllowsEverything() {
        assertThat(((RedisBackend) limiter.backend()).failureMode()).isEqualTo(FailureMode.OPEN);
        assertOpen(answers);
    }
}
