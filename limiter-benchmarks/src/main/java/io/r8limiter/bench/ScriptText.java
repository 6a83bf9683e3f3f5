package io.r8limiter.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The text of a Lua script shipped as a class-path resource, for the benchmarks that load scripts themselves. */
final class ScriptText {

    private ScriptText() {}

    /** The resource {@code name} beside {@code anchor}'s class file, read as UTF-8. */
    static String of(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "resource " + anchor.getPackageName().replace('.', '/') + "/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
