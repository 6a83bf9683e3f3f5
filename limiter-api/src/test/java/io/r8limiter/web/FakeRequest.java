package io.r8limiter.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A {@link RequestView} assembled by hand. */
final class FakeRequest implements RequestView {

    private final String peer;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private @Nullable String principal;

    private FakeRequest(String peer) {
        this.peer = peer;
    }

    static FakeRequest from(String peer) {
        return new FakeRequest(peer);
    }

    FakeRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                .add(value);
        return this;
    }

    FakeRequest query(String name, String value) {
        query.put(name, value);
        return this;
    }

    FakeRequest principal(String name) {
        this.principal = name;
        return this;
    }

    @Override
    public String remoteAddress() {
        return peer;
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public @Nullable String queryParameter(String name) {
        return query.get(name);
    }

    @Override
    public @Nullable String principalName() {
        return principal;
    }
}
