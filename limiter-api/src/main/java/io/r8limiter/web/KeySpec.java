package io.r8limiter.web;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which part of a request identifies the caller, in the key syntax shared by web.xml, {@code @RateLimited} and the
 * Spring properties: {@code ip} (the client address, see {@link ClientIpResolver}), {@code header:NAME},
 * {@code query:NAME}, {@code principal}, or {@code class:FQCN} naming a {@link KeyResolver}.
 *
 * <p>The spec itself becomes the first part of every bucket key it produces ({@link #namespace()}), so different
 * kinds never share a bucket: a caller sending {@code X-User: 10.0.0.1} does not drain the bucket of the client at
 * 10.0.0.1. Header names are compared without case. Specs are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class KeySpec {

    /** The kinds of key. */
    public enum Kind {
        /** The client address. */
        IP,
        /** A request header's first value. */
        HEADER,
        /** A query parameter's first value. */
        QUERY,
        /** The authenticated principal's name. */
        PRINCIPAL,
        /** A {@link KeyResolver}. */
        CUSTOM
    }

    /** The spec used when none is configured: the client address. */
    public static final KeySpec IP = new KeySpec(Kind.IP, null, "ip", null);

    private final Kind kind;
    private final @Nullable String name;
    private final String namespace;
    private final @Nullable KeyResolver resolver;

    private KeySpec(Kind kind, @Nullable String name, String namespace, @Nullable KeyResolver resolver) {
        this.kind = kind;
        this.name = name;
        this.namespace = namespace;
        this.resolver = resolver;
    }

    /**
     * Parses a spec, loading {@code class:} resolvers through the thread's context class loader.
     *
     * @throws IllegalArgumentException naming the bad spec and what was expected
     */
    public static KeySpec parse(String text) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return parse(text, loader != null ? loader : KeySpec.class.getClassLoader());
    }

    /**
     * Parses a spec, loading {@code class:} resolvers through {@code loader}.
     *
     * @throws IllegalArgumentException naming the bad spec and what was expected
     */
    public static KeySpec parse(String text, ClassLoader loader) {
        requireNonNull(loader, "loader");
        String spec = text == null ? "" : text.trim();
        int colon = spec.indexOf(':');
        String word = (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        String arg = colon < 0 ? null : spec.substring(colon + 1).trim();
        if (arg == null && word.equals("ip")) {
            return IP;
        }
        if (arg == null && word.equals("principal")) {
            return new KeySpec(Kind.PRINCIPAL, null, "principal", null);
        }
        if (arg != null && word.equals("header")) {
            String header = checkedName(text, arg, true).toLowerCase(Locale.ROOT);
            return new KeySpec(Kind.HEADER, header, "header:" + header, null);
        }
        if (arg != null && word.equals("query")) {
            String query = checkedName(text, arg, false);
            return new KeySpec(Kind.QUERY, query, "query:" + query, null);
        }
        if (arg != null && word.equals("class")) {
            return new KeySpec(Kind.CUSTOM, arg, "class:" + arg, instantiate(text, arg, loader));
        }
        throw new IllegalArgumentException(
                "key must be ip, header:NAME, query:NAME, principal or class:FQCN but was '" + text + "'");
    }

    /**
     * A spec around a resolver instance, such as a Spring bean; {@code id} names it in the bucket key namespace
     * ({@code custom:ID}) and must be unique among the resolvers of one policy.
     */
    public static KeySpec custom(String id, KeyResolver resolver) {
        checkedName("custom:" + id, requireNonNull(id, "id"), false);
        return new KeySpec(Kind.CUSTOM, id, "custom:" + id, requireNonNull(resolver, "resolver"));
    }

    /** The kind of key. */
    public Kind kind() {
        return kind;
    }

    /** The header or query parameter name (headers in lower case), the resolver's class or id; null otherwise. */
    public @Nullable String name() {
        return name;
    }

    /** The first bucket key part of every key this spec produces, such as {@code ip} or {@code header:x-user}. */
    public String namespace() {
        return namespace;
    }

    /**
     * The raw identity this spec reads from {@code request}, or null when the request has none (absent or blank).
     * For {@link Kind#IP} it is the address {@code ips} resolves, never null.
     */
    public @Nullable String valueOf(RequestView request, ClientIpResolver ips) {
        String value =
                switch (kind) {
                    case IP -> ips.resolve(request);
                    case HEADER -> request.header(requireNonNull(name));
                    case QUERY -> request.queryParameter(requireNonNull(name));
                    case PRINCIPAL -> request.principalName();
                    case CUSTOM -> requireNonNull(resolver).resolve(request);
                };
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeySpec k && k.namespace.equals(namespace) && k.kind == kind;
    }

    @Override
    public int hashCode() {
        return namespace.hashCode();
    }

    @Override
    public String toString() {
        return namespace;
    }

    private static String checkedName(String text, String name, boolean token) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("key '" + text + "' needs a name after the colon");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = token ? isTokenChar(c) : c > 0x20 && c < 0x7f;
            if (!ok) {
                throw new IllegalArgumentException(
                        "key '" + text + "' has a character not allowed in a name: '" + c + "' at position " + i);
            }
        }
        return name;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static KeyResolver instantiate(String text, String className, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("key '" + text + "' names class " + className + ", which was not found");
        }
        if (!KeyResolver.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("key '" + text + "' names class " + className
                    + ", which does not implement " + KeyResolver.class.getName());
        }
        try {
            return (KeyResolver) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
            throw new IllegalArgumentException(
                    "key '" + text + "' names class " + className + ", which needs a public no-argument constructor");
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(
                    "key '" + text + "' names class " + className + ", whose constructor failed: " + e.getCause(),
                    e.getCause());
        }
    }
}
