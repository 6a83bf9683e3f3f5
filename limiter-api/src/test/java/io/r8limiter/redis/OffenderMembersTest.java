package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffenderMembersTest {

    @Test
    void members_decodeToTheSamePolicyAndKey_whateverTheirContent() {
        List<String> policies = List.of("p", "a:b", "x\\", "|{}", "\uDC00");
        List<BucketKey> keys = List.of(
                BucketKey.of("u1"),
                BucketKey.of("a:b", "c"),
                BucketKey.of("a", "b:c"),
                BucketKey.of("\\", ":"),
                BucketKey.of("\uD83D", "😀"),
                BucketKey.of("{tag}", " spaced "));

        for (String policy : policies) {
            for (BucketKey key : keys) {
                OffenderMembers.Parsed parsed = OffenderMembers.parse(OffenderMembers.of(policy, key));

                assertThat(parsed.policy()).isEqualTo(policy);
                assertThat(parsed.key()).isEqualTo(key);
            }
        }
    }

    @Test
    void member_ofWellFormedText_isTheReadableBucketId() {
        assertThat(OffenderMembers.of("p:1", BucketKey.of("u:1", "r"))).isEqualTo("p\\:1:u\\:1:r");
    }
}
