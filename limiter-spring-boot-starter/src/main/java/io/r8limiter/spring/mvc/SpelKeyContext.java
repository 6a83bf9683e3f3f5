package io.r8limiter.spring.mvc;

import io.r8limiter.web.ClientIpResolver;
import io.r8limiter.web.RequestView;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The root object a {@code spel:} key expression reads: a few read-only facts about the request, never the request
 * object itself, so an expression cannot reach the session, the servlet context or the input stream.
 *
 * <p>Properties: {@code ip} (the client address behind trusted proxies), {@code principal} (the authenticated
 * name, or null), {@code method}, {@code path}, and the maps {@code header['Name']}, {@code query['name']} and
 * {@code pathVariables['id']}. For example {@code spel:header['X-Api-Key'] ?: ip}.
 *
 * @since 0.1
 */
public final class SpelKeyContext {

    private final RequestView request;
    private final ClientIpResolver ips;
    private final String method;
    private final String path;
    private final Map<String, String> pathVariables;

    SpelKeyContext(
            RequestView request, ClientIpResolver ips, String method, String path, Map<String, String> pathVariables) {
        this.request = request;
        this.ips = ips;
        this.method = method;
        this.path = path;
        this.pathVariables = Map.copyOf(pathVariables);
    }

    /** The client address, honouring forwarding headers only from trusted proxies. */
    public String getIp() {
        return ips.resolve(request);
    }

    /** The authenticated principal's name, or null for an anonymous request. */
    public @Nullable String getPrincipal() {
        return request.principalName();
    }

    /** The HTTP method, such as {@code GET}. */
    public String getMethod() {
        return method;
    }

    /** The path within the application, without the query string. */
    public String getPath() {
        return path;
    }

    /** The first value of each request header, looked up without case. */
    public Map<String, String> getHeader() {
        return new Lookup(request::header);
    }

    /** The first value of each query parameter. */
    public Map<String, String> getQuery() {
        return new Lookup(request::queryParameter);
    }

    /** The URI template variables of the matched handler, such as {@code id} for {@code /items/{id}}. */
    public Map<String, String> getPathVariables() {
        return pathVariables;
    }

    /** A map that can only be indexed: {@code header['X-User']}. */
    private static final class Lookup extends AbstractMap<String, String> {

        private final Function<String, @Nullable String> reader;

        Lookup(Function<String, @Nullable String> reader) {
            this.reader = reader;
        }

        @Override
        public @Nullable String get(Object key) {
            return key instanceof String name ? reader.apply(name) : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return Set.of();
        }
    }
}
