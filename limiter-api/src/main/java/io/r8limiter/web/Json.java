package io.r8limiter.web;

/** Writes JSON string literals by hand, so that the answer needs no JSON library. */
final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /**
     * {@code value} as a quoted JSON string. Quotes, backslashes and control characters are escaped as JSON
     * requires; {@code < > &} and the line separators U+2028/U+2029 are escaped too, so the text is safe inside
     * HTML or JavaScript; every other character outside printable ASCII is written as {@code \\uXXXX}, so the text is
     * pure ASCII and no charset can garble it; an unpaired surrogate becomes U+FFFD.
     */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 16).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                appendChar(sb, c);
                appendChar(sb, value.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append("\\ufffd");
            } else {
                appendChar(sb, c);
            }
        }
        return sb.append('"').toString();
    }

    private static void appendChar(StringBuilder sb, char c) {
        switch (c) {
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            default -> {
                if (c < 0x20 || c > 0x7e || c == '<' || c == '>' || c == '&') {
                    sb.append("\\u")
                            .append(HEX[c >> 12 & 0xf])
                            .append(HEX[c >> 8 & 0xf])
                            .append(HEX[c >> 4 & 0xf])
                            .append(HEX[c & 0xf]);
                } else {
                    sb.append(c);
                }
            }
        }
    }
}
