package io.r8limiter.servlet;

import io.r8limiter.web.RequestView;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A servlet request seen as a {@link RequestView}. Query parameters are read from the query string only, so that
 * resolving a key never consumes a form body the application still has to read.
 */
final class ServletRequestView implements RequestView {

    private final HttpServletRequest request;

    ServletRequestView(HttpServletRequest request) {
        this.request = request;
    }

    @Override
    public String remoteAddress() {
        String address = request.getRemoteAddr();
        return address == null ? "" : address;
    }

    @Override
    public List<String> headers(String name) {
        Enumeration<String> values = request.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }

    /** The first value, read without listing the others: this is the one every header key asks for. */
    @Override
    public @Nullable String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public @Nullable String queryParameter(String name) {
        return firstParameter(request.getQueryString(), name);
    }

    @Override
    public @Nullable String principalName() {
        Principal principal = request.getUserPrincipal();
        return principal == null ? null : principal.getName();
    }

    /** The first value of {@code name} in a URL-encoded query string, or null. */
    static @Nullable String firstParameter(@Nullable String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(rawName).equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // a malformed escape is kept as written, never an error
        }
    }
}
