package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.BucketKey;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RedisKeysTest {

    private final RedisKeys keys = RedisKeys.of("r8");

    @Test
    void key_carriesPrefixSchemaTagAndId() {
        String key = keys.of("api", BucketKey.of("u1", "r1"));

        assertThat(key).matches("r8:3:\\{[0-9a-f]{8}\\}:api:u1:r1");
    }

    @Test
    void keysOfSchema3_keepTheTagsAndIdsOfSchema2() {
        // the tag and the id part were pinned under schema 2 and only the schema number moved: any other change to
        // a bucket's name within a schema would hand out a fresh bucket
        assertThat(keys.of("api", BucketKey.of("u1", "r1"))).isEqualTo("r8:3:{42a101c2}:api:u1:r1");
        assertThat(keys.of("p:q", BucketKey.of("{hot}", "\u00e9\ud83d\ude00")))
                .isEqualTo("r8:3:{833b0b96}:p\\:q:{hot}:\u00e9\ud83d\ude00");
        assertThat(keys.of("api", BucketKey.of("x".repeat(256), "\ud83d\ude00".repeat(64))))
                .isEqualTo("r8:3:{c1fa9317}:wfqTF0bpHnom_q4lMc7Tj1frhGogjfAu8cGnVMnAFL0");
        assertThat(keys.of("api", BucketKey.of("u\uD800")))
                .isEqualTo("r8:3:{3b865ff6}:O4Zf9nZnVFpmsUUhq5o6mbiZzx1Qvyk9ncsZ5XsoZng");
    }

    @Test
    void userBraces_neverChooseTheHashTag() {
        String key = keys.of("api", BucketKey.of("{hot}", "x}{y"));

        assertThat(key.indexOf('{')).isEqualTo("r8:3:".length());
        assertThat(key.substring(key.indexOf('}') + 1)).isEqualTo(":api:{hot}:x}{y");
        assertThat(key.substring(6, 14)).isNotEqualTo("hot");
    }

    @Test
    void longId_isStoredAsItsDigest_boundingTheKeyLength() {
        String key = keys.of("api", BucketKey.of("x".repeat(256), "😀".repeat(64)));

        assertThat(key).matches("r8:3:\\{[0-9a-f]{8}\\}:[A-Za-z0-9_-]{43}");
        assertThat(key.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(60);
    }

    @Test
    void unpairedSurrogates_stayDistinct() {
        String a = keys.of("api", BucketKey.of("u\uD800"));
        String b = keys.of("api", BucketKey.of("u\uD801"));

        assertThat(a).isNotEqualTo(b);
        assertThat(a.getBytes(StandardCharsets.UTF_8)).isNotEqualTo(b.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void idsThatAreNotWellFormedUtf16_areStoredAsTheirDigest() {
        for (String broken : new String[] {"\uDC00u", "\uD800u", "u\uDBFF", "\uDE00\uD83D"}) {
            assertThat(keys.of("api", BucketKey.of(broken)))
                    .as("%s", broken.chars().mapToObj(Integer::toHexString).toList())
                    .matches("r8:3:\\{[0-9a-f]{8}\\}:[A-Za-z0-9_-]{43}");
        }
        assertThat(keys.of("api", BucketKey.of("\ud83d\ude00"))).endsWith(":api:\ud83d\ude00");
    }

    @Test
    void prefix_mustNotBeBlankOrHoldBraces() {
        assertThatThrownBy(() -> RedisKeys.of(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keyPrefix must not be blank but was ' '");
        assertThatThrownBy(() -> RedisBackend.builder().keyPrefix("a{b}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keyPrefix must not contain braces but was 'a{b}'");
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void differentParts_neverShareARedisKey_C09(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] alphabet = ":{}\\|% \u0000ab\u00e9\ud83d\ude00".codePoints().toArray();
        Map<String, BucketKey> seen = new HashMap<>();

        for (int i = 0; i < 2000; i++) {
            int parts = 1 + random.nextInt(3);
            String[] values = new String[parts];
            for (int p = 0; p < parts; p++) {
                StringBuilder sb = new StringBuilder("v");
                int length = random.nextInt(6);
                for (int c = 0; c < length; c++) {
                    sb.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
                }
                values[p] = sb.toString();
            }
            BucketKey key = BucketKey.of(values);
            BucketKey earlier = seen.putIfAbsent(keys.of("p", key), key);

            assertThat(earlier == null || earlier.equals(key))
                    .as("%s and %s", earlier, key)
                    .isTrue();
        }
    }
}
