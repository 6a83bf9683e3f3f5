package io.r8limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** C07 and C08 on the core builder: bad values are refused up front, naming the field and the value. */
class PolicyValidationTest {

    @Test
    void zeroOrNegativeValues_areRefused_namingTheField() {
        assertThatThrownBy(() -> Limit.of(0, 10, Duration.ofSeconds(1)))
                .hasMessage("capacity must be positive but was 0");
        assertThatThrownBy(() -> Limit.of(10, 0, Duration.ofSeconds(1)))
                .hasMessage("refillTokens must be positive but was 0");
        assertThatThrownBy(() -> Limit.of(-1, 10, Duration.ofSeconds(1)))
                .hasMessage("capacity must be positive but was -1");
        assertThatThrownBy(() -> Limit.of(10, 10, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("refillPeriod must be between 1ms and 30 days but was 0ms");
        assertThatThrownBy(() -> Limit.of(10, 10, Duration.ofMillis(-1000)))
                .hasMessageStartingWith("refillPeriod must be between 1ms and 30 days but was -1000ms");
    }

    @Test
    void overflowingValues_areRefused_namingThem() {
        assertThatThrownBy(() -> Limit.of(Long.MAX_VALUE, 10, Duration.ofSeconds(1)))
                .hasMessageContaining("capacity must be at most")
                .hasMessageContaining(Long.toString(Long.MAX_VALUE));
        assertThatThrownBy(() -> Limit.of(10, 10, Duration.ofDays(31))).hasMessageContaining("refillPeriod");
        // a refill a Lua number cannot hold exactly, though its reduced rate fits: a Redis bucket stores the figure
        assertThatThrownBy(() -> Limit.of(10, 1L << 53, Duration.ofDays(30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("refillTokens must be at most 9007199254740991 (2^53 - 1) but was 9007199254740992");
        assertThatThrownBy(() -> Limit.of(1_000_000_000_000L, 1, Duration.ofDays(30)))
                .hasMessageContaining("capacity=1000000000000 refillTokens=1 refillPeriod=2592000000ms");
    }

    @Test
    void supportedRanges_areAccepted() {
        assertThat(Limit.of(1_000_000_000_000L, 1_000_000_000_000L, Duration.ofDays(30))
                        .capacity())
                .isEqualTo(1_000_000_000_000L);
        assertThat(Limit.of(1_000_000_000_000L, 1_000_000_000L, Duration.ofSeconds(1))
                        .refillTokens())
                .isEqualTo(1_000_000_000L);
        assertThat(Limit.of(100, 1, Duration.ofDays(30)).capacity()).isEqualTo(100);
        assertThat(Limit.of(3_000_000_000L, 3_000_000_000L, Duration.ofDays(1)).capacity())
                .isEqualTo(3_000_000_000L);
        assertThat(Limit.of(5, 5, Duration.ofMillis(1)).refillPeriodMillis()).isEqualTo(1);
    }

    @Test
    void policyWithoutLimits_orWithoutName_isRefused() {
        assertThatThrownBy(() -> Policy.builder("p").build()).hasMessage("policy p must have at least one limit");
        assertThatThrownBy(() -> Policy.of(" ", Limit.perPeriod(1, Duration.ofSeconds(1))))
                .hasMessage("policy name must not be blank");
    }

    // Names were capped at 128 characters while key parts may hold 256 UTF-8 bytes, so the decision service could
    // take a resource of 129 to 256 bytes as a key part and never give it a policy: names follow the key-part rule.
    @Test
    void policyName_ofUpTo256Utf8Bytes_isAccepted_andOneByteMoreIsRefusedNamingItsLength() {
        Limit limit = Limit.perPeriod(1, Duration.ofSeconds(1));
        String ascii = "a".repeat(256);
        String twoByte = "\u00e9".repeat(128);

        assertThat(Policy.of(ascii, limit).name()).isEqualTo(ascii);
        assertThat(Policy.builder(twoByte).limit(limit).build().name()).isEqualTo(twoByte);
        assertThatThrownBy(() -> Policy.of(ascii + "a", limit))
                .hasMessage("policy name must be at most 256 UTF-8 bytes but was 257 bytes");
        assertThatThrownBy(() -> Policy.of("p", limit).withName(twoByte + "a"))
                .hasMessage("policy name must be at most 256 UTF-8 bytes but was 257 bytes");
        assertThatThrownBy(() -> Policy.of("\u00e9".repeat(129), limit))
                .hasMessage("policy name must be at most 256 UTF-8 bytes but was 258 bytes");
    }

    @Test
    void sameNameTwice_isRefused() {
        Policy p = Policy.of("p", Limit.perPeriod(1, Duration.ofSeconds(1)));

        assertThatThrownBy(() -> LocalPolicyStore.of(p, p)).hasMessage("policy 'p' is defined twice");
    }

    @Test
    void fillTime_ofAnEmptyBucket_isRoundedUp() {
        assertThat(Limit.of(3, 3, Duration.ofMinutes(1)).millisToFillFromEmpty())
                .isEqualTo(60_000);
        assertThat(Limit.of(10, 3, Duration.ofSeconds(1)).millisToFillFromEmpty())
                .isEqualTo(3_334);
    }
}
