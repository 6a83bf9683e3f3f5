package io.r8limiter.sample;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets through to {@code /admin/**} and the actuator's {@code ratelimit} endpoint only requests that present the
 * admin bearer token; any other answers 401 with {@code WWW-Authenticate: Bearer} and a problem body. Other paths
 * (the decision endpoint, health, Prometheus) pass untouched.
 */
final class AdminTokenFilter extends OncePerRequestFilter {

    private static final String BODY = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
            + "\"detail\":\"this endpoint needs the header Authorization: Bearer <admin token>\"}";

    private final AdminToken token;
    private final String ratelimitEndpoint;

    AdminTokenFilter(AdminToken token, String actuatorBasePath) {
        this.token = token;
        this.ratelimitEndpoint = actuatorBasePath + "/ratelimit";
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!isProtected(request) || token.accepts(request.getHeader("Authorization"))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setContentType("application/problem+json");
        response.getOutputStream().write(BODY.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether the path, as the dispatcher will match it (decoded, path parameters and repeated slashes removed), is
     * guarded.
     */
    private boolean isProtected(HttpServletRequest request) {
        String path =
                normalized(request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo()));
        return path.startsWith("/admin") || path.startsWith(ratelimitEndpoint);
    }

    private static String normalized(String path) {
        return path.replaceAll("/{2,}", "/");
    }
}
