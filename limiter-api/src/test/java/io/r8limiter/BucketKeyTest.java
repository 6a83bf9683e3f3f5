package io.r8limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.internal.BucketIds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** C09 and C10 on the core: keys never collide, hostile content is either refused clearly or kept intact. */
class BucketKeyTest {

    /** Code points drawn for random parts, the emoji (a surrogate pair) among them. */
    private static final int[] ALPHABET =
            "ab:{}\\|% \u0000\u00e9\ud83d\ude00".codePoints().toArray();

    @Test
    void separatorsInsideParts_makeDifferentKeys() {
        assertThat(BucketKey.of("a:b", "c")).isNotEqualTo(BucketKey.of("a", "b:c"));
        assertThat(BucketKey.of("a\\", ":c")).isNotEqualTo(BucketKey.of("a", "\\:c"));
        assertThat(BucketKey.of("{a}", "b")).isNotEqualTo(BucketKey.of("a", "{b}"));
        assertThat(BucketIds.of("p:q", BucketKey.of("r"))).isNotEqualTo(BucketIds.of("p", BucketKey.of("q:r")));
    }

    @Test
    void normalizationForms_areDifferentBuckets() {
        assertThat(BucketKey.of("\ud83d\ude00\u00e9")).isNotEqualTo(BucketKey.of("\ud83d\ude00e\u0301"));
    }

    static LongStream seeds() {
        return LongStream.range(1, 51);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void differentTuples_neverEncodeAlike(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 2_000; i++) {
            List<String> a = randomParts(random);
            List<String> b = randomParts(random);
            if (a.equals(b)) {
                continue;
            }
            BucketKey ka = BucketKey.of(a.toArray(String[]::new));
            BucketKey kb = BucketKey.of(b.toArray(String[]::new));

            assertThat(ka.encoded()).as("%s vs %s", a, b).isNotEqualTo(kb.encoded());
            assertThat(BucketKey.decode(ka.encoded()).parts()).isEqualTo(a);
        }
    }

    private static List<String> randomParts(SplittableRandom random) {
        int n = 1 + random.nextInt(3);
        List<String> parts = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            StringBuilder sb = new StringBuilder("x");
            int len = random.nextInt(4);
            for (int c = 0; c < len; c++) {
                sb.appendCodePoint(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            parts.add(sb.toString());
        }
        return parts;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\n"})
    void blankParts_areRefused_namingTheField(String blank) {
        assertThatThrownBy(() -> BucketKey.builder().part("user_id", blank))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user_id must not be blank");
    }

    @Test
    void refusedPositionalParts_areNamedByTheirPosition() {
        assertThatThrownBy(() -> BucketKey.of("ok", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key part 2 must not be blank");
        assertThatThrownBy(() -> BucketKey.of("ok", "fine", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key part 3 must not be null");
        assertThatThrownBy(() -> BucketKey.of("é".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key part 1 must be at most 256 UTF-8 bytes but was 258 bytes");
    }

    @Test
    void partsCountBytes_notCharacters() {
        String a256 = "a".repeat(256);
        String smile64 = "\ud83d\ude00".repeat(64);

        assertThat(BucketKey.builder().part("user_id", a256).build().parts()).containsExactly(a256);
        assertThat(BucketKey.builder().part("user_id", smile64).build().parts()).containsExactly(smile64);
        assertThatThrownBy(() -> BucketKey.builder().part("user_id", "a".repeat(257)))
                .hasMessage("user_id must be at most 256 UTF-8 bytes but was 257 bytes");
        assertThatThrownBy(() -> BucketKey.builder().part("resource", "\ud83d\ude00".repeat(65)))
                .hasMessage("resource must be at most 256 UTF-8 bytes but was 260 bytes");
        assertThatThrownBy(() -> BucketKey.of("x".repeat(10_000))).hasMessageContaining("10000 bytes");
    }

    @Test
    void controlCharactersAndPatterns_areKeptLiterally() {
        for (String s : List.of("\u0000\r\nX", "u\n{\"level\":\"ERROR\"}", "*", "?", "[a]", "{u1}", "x{u1}y")) {
            assertThat(BucketKey.decode(BucketKey.of(s).encoded()).parts()).containsExactly(s);
        }
    }
}
