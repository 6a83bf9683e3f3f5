package io.r8limiter.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/** Parses literal IP addresses strictly and without ever resolving a host name. */
final class IpAddresses {

    private IpAddresses() {}

    /**
     * The 4 or 16 bytes of a literal address, or null when {@code text} is not one. IPv4-mapped IPv6 addresses come
     * back as 4 bytes, so {@code ::ffff:10.0.0.1} and {@code 10.0.0.1} are the same client.
     */
    static byte @Nullable [] parse(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return null;
        }
        return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    }

    /** The canonical text of an address: dotted quad, or the JDK's full lower-case IPv6 form. */
    static String format(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length, e);
        }
    }

    /** Strips what may surround an address in a forwarding header: quotes, {@code [..]} and a port. */
    static String stripPort(String entry) {
        String s = entry.trim();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1).trim();
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            return close < 0 ? s : s.substring(1, close);
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && colon == s.lastIndexOf(':') && s.indexOf('.') >= 0) {
            return s.substring(0, colon);
        }
        return s;
    }

    private static byte @Nullable [] parseV4(String text) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits == 3 || (digits == 1 && value == 0)) {
                    return null;
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                digits++;
            } else if (c == '.' && digits > 0 && value <= 255 && part < 4) {
                bytes[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? bytes : null;
    }

    private static byte @Nullable [] parseV6(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok =
                    (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return null;
            }
        }
        try {
            // With a colon and only hex digits, colons and dots, the JDK parses a literal and never looks up a name.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
