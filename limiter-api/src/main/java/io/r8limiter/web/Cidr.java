package io.r8limiter.web;

import java.util.Arrays;

/** A block of addresses: a network address and the number of leading bits that must match. */
final class Cidr {

    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * Parses an address ({@code 10.0.0.1}, {@code ::1}) or a block ({@code 10.0.0.0/8}, {@code fd00::/8}).
     *
     * @throws IllegalArgumentException naming the value
     */
    static Cidr parse(String text) {
        String t = text == null ? "" : text.trim();
        int slash = t.indexOf('/');
        byte[] address = IpAddresses.parse(slash < 0 ? t : t.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException(
                    "trusted proxy must be an IP address or CIDR block (such as 10.0.0.0/8) but was '" + text + "'");
        }
        String literal = slash < 0 ? t : t.substring(0, slash);
        int bits = literal.indexOf(':') >= 0 ? 128 : 32;
        int prefix = slash < 0 ? bits : prefixLength(text, t.substring(slash + 1), bits);
        // an IPv4-mapped IPv6 block (::ffff:10.0.0.0/104) is kept as the IPv4 block it denotes
        if (bits == 128 && address.length == 4) {
            prefix -= 96;
        }
        if (prefix < 0) {
            throw new IllegalArgumentException("trusted proxy '" + text + "' has a prefix shorter than ::ffff:0:0/96");
        }
        return new Cidr(address, prefix, t);
    }

    /** Whether {@code address} (4 or 16 bytes) lies in this block. */
    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return text;
    }

    private static int prefixLength(String text, String digits, int bits) {
        int max = digits.isEmpty() ? -1 : bits;
        int prefix;
        try {
            prefix = digits.length() > 3 ? -1 : Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException(
                    "trusted proxy '" + text + "' must have a prefix length between 0 and " + bits + " after the /");
        }
        return prefix;
    }
}
