package io.r8limiter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySpecTest {

    private final ClientIpResolver ips = ClientIpResolver.none();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ip|IP|ip",
                "  IP |IP|ip",
                "principal|PRINCIPAL|principal",
                "header:X-User|HEADER|header:x-user",
                "header: X-User |HEADER|header:x-user",
                "query:user_id|QUERY|query:user_id",
                "class:io.r8limiter.web.UserHeaderResolver|CUSTOM|class:io.r8limiter.web.UserHeaderResolver"
            })
    void parse_acceptsEveryKind(String text, KeySpec.Kind kind, String namespace) {
        KeySpec spec = KeySpec.parse(text);

        assertThat(spec.kind()).isEqualTo(kind);
        assertThat(spec.namespace()).isEqualTo(namespace);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|key must be ip, header:NAME, query:NAME, principal or class:FQCN but was ''",
                "cookie:sid|key must be ip, header:NAME, query:NAME, principal or class:FQCN but was 'cookie:sid'",
                "ip:x|key must be ip, header:NAME, query:NAME, principal or class:FQCN but was 'ip:x'",
                "header:|key 'header:' needs a name after the colon",
                "header:X User|key 'header:X User' has a character not allowed in a name: ' ' at position 1",
                "query:|key 'query:' needs a name after the colon"
            })
    void parse_rejectsBadSpecs_namingThem(String text, String message) {
        assertThatThrownBy(() -> KeySpec.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void parse_rejectsUnknownOrUnfitClasses() {
        assertThatThrownBy(() -> KeySpec.parse("class:com.example.Missing"))
                .hasMessage("key 'class:com.example.Missing' names class com.example.Missing, which was not found");
        assertThatThrownBy(() -> KeySpec.parse("class:java.lang.String"))
                .hasMessage("key 'class:java.lang.String' names class java.lang.String, which does not implement "
                        + "io.r8limiter.web.KeyResolver");
    }

    @Test
    void valueOf_readsEachKindFromTheRequest() {
        FakeRequest request = FakeRequest.from("192.0.2.1")
                .header("x-user", "alice")
                .query("user_id", "bob")
                .principal("carol")
                .header("X-Api-Key", "k1");

        assertThat(KeySpec.parse("ip").valueOf(request, ips)).isEqualTo("192.0.2.1");
        assertThat(KeySpec.parse("header:X-User").valueOf(request, ips)).isEqualTo("alice");
        assertThat(KeySpec.parse("query:user_id").valueOf(request, ips)).isEqualTo("bob");
        assertThat(KeySpec.parse("principal").valueOf(request, ips)).isEqualTo("carol");
        assertThat(KeySpec.parse("class:io.r8limiter.web.UserHeaderResolver").valueOf(request, ips))
                .isEqualTo("K1");
    }

    @Test
    void valueOf_treatsBlankAsMissing() {
        FakeRequest request = FakeRequest.from("192.0.2.1").header("X-User", "  ");

        assertThat(KeySpec.parse("header:X-User").valueOf(request, ips)).isNull();
        assertThat(KeySpec.parse("principal").valueOf(request, ips)).isNull();
    }

    @Test
    void custom_usesTheInstanceUnderItsId() {
        KeySpec spec = KeySpec.custom("tenant", request -> "t1");

        assertThat(spec.namespace()).isEqualTo("custom:tenant");
        assertThat(spec.valueOf(FakeRequest.from("::1"), ips)).isEqualTo("t1");
    }
}
