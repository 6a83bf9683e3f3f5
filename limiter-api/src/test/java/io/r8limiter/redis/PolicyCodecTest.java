package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.PolicyEntry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolicyCodecTest {

    @Test
    void policy_roundTripsWithItsVersionAndShadowFlag() {
        Policy policy = Policy.builder("a|b:c")
                .limit(5, 5, Duration.ofMinutes(1))
                .limit(50, 7, Duration.ofMillis(3_600_001))
                .shadow(true)
                .build();

        String stored = "1|42|" + PolicyCodec.encodeBody(policy);
        PolicyEntry entry = PolicyCodec.decode(policy.name(), stored);

        assertThat(stored).isEqualTo("1|42|1|5/5/60000,50/7/3600001");
        assertThat(entry).isEqualTo(new PolicyEntry(policy, 42, PolicyEntry.Source.OVERRIDE));
    }

    @Test
    void decode_rejectsUnknownFormatsAndInvalidLimits() {
        assertThatThrownBy(() -> PolicyCodec.decode("r", "2|1|0|5/5/1000"))
                .hasMessage("policy override 'r' has an unknown format: 2|1|0|5/5/1000");
        assertThatThrownBy(() -> PolicyCodec.decode("r", "1|1|0|5/5"))
                .hasMessage("policy override 'r' has a bad limit: 5/5");
        assertThatThrownBy(() -> PolicyCodec.decode("r", "1|1|0|0/5/1000"))
                .hasMessage("capacity must be positive but was 0");
        assertThat(PolicyCodec.decode("r", "1|1|0|1/1/1000").policy().limits())
                .containsExactly(Limit.of(1, 1, Duration.ofSeconds(1)));
    }
}
