package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.sample.Api.Answer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** C15, failure mode LOCAL: while Redis is unreachable the instance's in-memory buckets decide. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "r8limiter.failure-mode=local")
class RedisDownLocalTest extends RedisDownTestBase {

    @Override
    boolean reportsFigures() {
        return true;
    }

    @Test
    void local_allowsTheCapacityThenDenies() {
        assertThat(answers.subList(0, 5)).extracting(Answer::allowed).containsOnly(true);
        assertThat(answers.subList(0, 5)).extracting(Answer::remaining).containsExactly(4L, 3L, 2L, 1L, 0L);
        assertThat(answers.subList(5, 20)).extracting(Answer::allowed).containsOnly(false);
        assertThat(answers.subList(5, 20)).extracting(Answer::retryAfter).allSatisfy(r -> assertThat(r)
                .isBetween(1L, 60_000L));
    }
}
