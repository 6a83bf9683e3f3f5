package io.r8limiter.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Finds the client address of a request from the direct peer's address, the {@code X-Forwarded-For} and
 * {@code Forwarded} header values, and a list of trusted proxies (addresses or CIDR blocks, IPv4 and IPv6).
 *
 * <p>The forwarding headers count only when the direct peer is a trusted proxy; otherwise the peer is the client,
 * whatever the headers say, so a caller cannot pick its own bucket. Behind trusted proxies the entries are walked
 * from the right past trusted hops, and the first untrusted address is the client; what a caller prepends is never
 * reached. Header lines of one name are read as one list, in order.
 *
 * <p>Malformed input never yields an address chosen by the caller: an entry that is not a literal IP address
 * ({@code unknown}, an obfuscated name, garbage, an empty list) ends the walk at the last trusted hop passed, which is
 * the peer when nothing was passed. When both headers are present and lead to different addresses, neither is
 * believed and the peer is the answer, since a proxy that writes one of them passes the other through untouched.
 * Addresses are returned in canonical form (IPv4-mapped IPv6 as IPv4), and no host name is ever looked up. Each
 * IPv6 address is its own client; immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ClientIpResolver {

    /** The {@code X-Forwarded-For} header name. */
    public static final String X_FORWARDED_FOR = "X-Forwarded-For";

    /** The RFC 7239 {@code Forwarded} header name. */
    public static final String FORWARDED = "Forwarded";

    private static final ClientIpResolver NONE = new ClientIpResolver(List.of());

    private final List<Cidr> trusted;

    private ClientIpResolver(List<Cidr> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** A resolver that trusts no proxy: the client is always the direct peer. */
    public static ClientIpResolver none() {
        return NONE;
    }

    /**
     * A resolver trusting the given proxies, each an address ({@code 10.0.0.1}, {@code ::1}) or a CIDR block
     * ({@code 10.0.0.0/8}, {@code fd00::/8}); blank entries are ignored.
     *
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static ClientIpResolver of(Collection<String> trustedProxies) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String entry : trustedProxies) {
            if (entry != null && !entry.isBlank()) {
                cidrs.add(Cidr.parse(entry));
            }
        }
        return cidrs.isEmpty() ? NONE : new ClientIpResolver(cidrs);
    }

    /** Like {@link #of(Collection)} for a comma- or whitespace-separated list, as written in configuration files. */
    public static ClientIpResolver parse(@Nullable String trustedProxies) {
        if (trustedProxies == null || trustedProxies.isBlank()) {
            return NONE;
        }
        return of(List.of(trustedProxies.trim().split("[,\\s]+")));
    }

    /** The client address of {@code request}. */
    public String resolve(RequestView request) {
        return resolve(request.remoteAddress(), request.headers(X_FORWARDED_FOR), request.headers(FORWARDED));
    }

    /**
     * The client address given the direct peer's address and every line of the two forwarding headers.
     *
     * @param peer the direct peer, a literal address (brackets allowed); returned trimmed when not parsable
     * @param xForwardedFor the {@code X-Forwarded-For} lines, possibly empty
     * @param forwarded the {@code Forwarded} lines, possibly empty
     */
    public String resolve(@Nullable String peer, List<String> xForwardedFor, List<String> forwarded) {
        byte[] peerBytes = peer == null ? null : IpAddresses.parse(IpAddresses.stripPort(peer));
        if (peerBytes == null) {
            return peer == null || peer.isBlank() ? "unknown" : peer.trim();
        }
        String client = IpAddresses.format(peerBytes);
        if (!isTrusted(peerBytes)) {
            return client;
        }
        List<String> fromXff = ForwardedHeaders.xForwardedFor(xForwardedFor);
        List<String> fromForwarded = ForwardedHeaders.forwardedFor(forwarded);
        if (fromForwarded.isEmpty()) {
            return walk(fromXff, client);
        }
        if (fromXff.isEmpty()) {
            return walk(fromForwarded, client);
        }
        String a = walk(fromXff, client);
        return a.equals(walk(fromForwarded, client)) ? a : client;
    }

    /** Whether {@code address} (a literal) is a trusted proxy. */
    public boolean isTrusted(String address) {
        byte[] bytes = IpAddresses.parse(IpAddresses.stripPort(address));
        return bytes != null && isTrusted(bytes);
    }

    /** Whether any proxy is trusted. */
    public boolean trustsAnyProxy() {
        return !trusted.isEmpty();
    }

    @Override
    public String toString() {
        return "ClientIpResolver[trusted=" + trusted + "]";
    }

    private boolean isTrusted(byte[] address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** From the right, past trusted hops; a malformed entry stops at the last hop passed. */
    private String walk(List<String> entries, String peer) {
        String client = peer;
        for (int i = entries.size() - 1; i >= 0; i--) {
            byte[] address = IpAddresses.parse(IpAddresses.stripPort(entries.get(i)));
            if (address == null) {
                return client;
            }
            client = IpAddresses.format(address);
            if (!isTrusted(address)) {
                return client;
            }
        }
        return client;
    }

    /** Splits the two forwarding headers into their address entries. */
    static final class ForwardedHeaders {

        private ForwardedHeaders() {}

        /** The comma-separated entries of every line, blank ones dropped. */
        static List<String> xForwardedFor(List<String> lines) {
            List<String> entries = new ArrayList<>();
            for (String line : lines) {
                if (line == null) {
                    continue;
                }
                for (String entry : line.split(",")) {
                    if (!entry.isBlank()) {
                        entries.add(entry.trim());
                    }
                }
            }
            return entries;
        }

        /**
         * The {@code for} value of every element of every line; an element without one counts as a malformed entry
         * (an empty string), so that the walk stops there.
         */
        static List<String> forwardedFor(List<String> lines) {
            List<String> entries = new ArrayList<>();
            for (String line : lines) {
                if (line == null) {
                    continue;
                }
                for (String element : splitOutsideQuotes(line, ',')) {
                    if (!element.isBlank()) {
                        entries.add(forValue(element));
                    }
                }
            }
            return entries;
        }

        private static String forValue(String element) {
            for (String pair : splitOutsideQuotes(element, ';')) {
                int eq = pair.indexOf('=');
                if (eq > 0
                        && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
                    return unquote(pair.substring(eq + 1).trim());
                }
            }
            return "";
        }

        private static String unquote(String value) {
            if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
                return value;
            }
            StringBuilder sb = new StringBuilder(value.length());
            for (int i = 1; i < value.length() - 1; i++) {
                char c = value.charAt(i);
                if (c == '\\' && i + 2 < value.length()) {
                    c = value.charAt(++i);
                }
                sb.append(c);
            }
            return sb.toString();
        }

        private static List<String> splitOutsideQuotes(String text, char separator) {
            List<String> parts = new ArrayList<>();
            boolean quoted = false;
            int start = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\' && quoted) {
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == separator && !quoted) {
                    parts.add(text.substring(start, i));
                    start = i + 1;
                }
            }
            parts.add(text.substring(start));
            return parts;
        }
    }
}
