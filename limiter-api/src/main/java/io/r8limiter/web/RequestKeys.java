package io.r8limiter.web;

import static java.util.Objects.requireNonNull;

import io.r8limiter.BucketKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Turns a request into the {@link BucketKey} it is limited under: a {@link KeySpec}, the {@link ClientIpResolver}
 * for {@code ip} keys and fallbacks, and the {@link MissingKey} behaviour, resolved once for every adapter.
 *
 * <p>A key is two parts, the spec's {@link KeySpec#namespace() namespace} and the value. Values of any content are
 * safe: a value longer than {@link BucketKey#MAX_PART_BYTES} UTF-8 bytes is replaced by its SHA-256 in a namespace
 * of its own ({@code header:x-user#sha256}), so it can neither fail the request nor collide with a short value.
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class RequestKeys {

    private final KeySpec spec;
    private final ClientIpResolver ips;
    private final MissingKey whenMissing;

    private RequestKeys(KeySpec spec, ClientIpResolver ips, MissingKey whenMissing) {
        this.spec = requireNonNull(spec, "spec");
        this.ips = requireNonNull(ips, "ips");
        this.whenMissing = requireNonNull(whenMissing, "whenMissing");
    }

    /** Resolution of {@code spec}, with {@code ips} for client addresses and {@code whenMissing} for absent values. */
    public static RequestKeys of(KeySpec spec, ClientIpResolver ips, MissingKey whenMissing) {
        return new RequestKeys(spec, ips, whenMissing);
    }

    /** The key of {@code request}, or what to do instead when it has none. */
    public Resolution resolve(RequestView request) {
        String value = spec.valueOf(request, ips);
        if (value != null) {
            return Resolution.limit(key(spec.namespace(), value));
        }
        return switch (whenMissing) {
            case CLIENT_IP -> Resolution.limit(key(KeySpec.IP.namespace(), ips.resolve(request)));
            case SKIP -> Resolution.SKIP;
            case REJECT -> Resolution.reject("the request has no " + describe(spec));
        };
    }

    /** The key spec. */
    public KeySpec spec() {
        return spec;
    }

    /** The client address resolver. */
    public ClientIpResolver clientIps() {
        return ips;
    }

    /** What happens when the key has no value. */
    public MissingKey whenMissing() {
        return whenMissing;
    }

    /** The bucket key {@code (namespace, value)}, hashing values too long for a key part. */
    static BucketKey key(String namespace, String value) {
        if (BucketKey.utf8Length(value) <= BucketKey.MAX_PART_BYTES) {
            return BucketKey.of(namespace, value);
        }
        return BucketKey.of(namespace + "#sha256", sha256(value));
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    private static String describe(KeySpec spec) {
        return switch (spec.kind()) {
            case HEADER -> "header " + spec.name();
            case QUERY -> "query parameter " + spec.name();
            case PRINCIPAL -> "authenticated principal";
            case CUSTOM, IP -> "value for key " + spec.namespace();
        };
    }

    /**
     * The outcome of resolving a request's key: limit it under {@link #key()}, skip limiting, or reject it with a
     * 400 whose detail is {@link #detail()}.
     *
     * @param action what the adapter does
     * @param key the bucket key when the action is {@link Action#LIMIT}
     * @param detail why the request is rejected when the action is {@link Action#REJECT}
     */
    public record Resolution(Action action, @Nullable BucketKey key, @Nullable String detail) {

        static final Resolution SKIP = new Resolution(Action.SKIP, null, null);

        static Resolution limit(BucketKey key) {
            return new Resolution(Action.LIMIT, key, null);
        }

        static Resolution reject(String detail) {
            return new Resolution(Action.REJECT, null, detail);
        }

        /** The 400 answer of a rejection. */
        public HttpAnswer rejection() {
            return HttpAnswer.badRequest(detail != null ? detail : "the request has no rate-limit key");
        }
    }

    /** What an adapter does with a request after key resolution. */
    public enum Action {
        /** Ask the limiter with the resolved key. */
        LIMIT,
        /** Pass the request on without asking the limiter. */
        SKIP,
        /** Answer 400 without asking the limiter. */
        REJECT
    }
}
