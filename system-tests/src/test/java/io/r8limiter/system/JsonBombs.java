package io.r8limiter.system;

import java.util.List;
import java.util.Random;

/** Request bodies that are costly or tricky to parse: deep nesting, huge numbers and strings, broken documents. */
final class JsonBombs {

    static final List<String> ALL = List.of(
            "[".repeat(100_000) + "]".repeat(100_000),
            "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000),
            "{\"resource\":\"r\",\"capacity\":1" + "0".repeat(100_000) + ",\"refill_tokens\":1,\"refill_period_ms\":1}",
            "{\"resource\":\"r\",\"capacity\":1e400,\"refill_tokens\":1,\"refill_period_ms\":1000}",
            "{\"resource\":\"r\",\"capacity\":-9223372036854775809,\"refill_tokens\":1,\"refill_period_ms\":1000}",
            "{\"resource\":\"" + "s".repeat(200_000) + "\",\"capacity\":1,\"refill_tokens\":1,\"refill_period_ms\":1}",
            "{\"resource\":\"r\",\"capacity\":1,\"capacity\":2,\"refill_tokens\":1,\"refill_period_ms\":1000,",
            "{\"resource\":\"r\",\"limits\":[" + "{},".repeat(20_000) + "{}]}",
            "{\"resource\":\"\\ud800\",\"capacity\":\"1\"}",
            "\u0000\u0001{",
            "",
            "null",
            "{\"@class\":\"java.lang.ProcessBuilder\",\"command\":[\"id\"]}");

    private JsonBombs() {}

    static String any(Random random) {
        return ALL.get(random.nextInt(ALL.size()));
    }
}
