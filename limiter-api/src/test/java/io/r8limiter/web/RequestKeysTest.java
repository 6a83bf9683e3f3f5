package io.r8limiter.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.web.RequestKeys.Action;
import io.r8limiter.web.RequestKeys.Resolution;
import org.junit.jupiter.api.Test;

class RequestKeysTest {

    private final ClientIpResolver ips = ClientIpResolver.parse("127.0.0.1");

    @Test
    void headerKey_andIpFallback_liveInSeparateNamespaces_c09h() {
        RequestKeys keys = RequestKeys.of(KeySpec.parse("header:X-User"), ips, MissingKey.CLIENT_IP);

        Resolution user = keys.resolve(FakeRequest.from("127.0.0.1").header("X-User", "10.0.0.1"));
        Resolution anonymous = keys.resolve(FakeRequest.from("10.0.0.1"));

        assertThat(user.key()).isEqualTo(BucketKey.of("header:x-user", "10.0.0.1"));
        assertThat(anonymous.key()).isEqualTo(BucketKey.of("ip", "10.0.0.1"));
        assertThat(user.key()).isNotEqualTo(anonymous.key());
    }

    @Test
    void missingKey_canSkipOrReject() {
        FakeRequest anonymous = FakeRequest.from("192.0.2.1");

        Resolution skipped =
                RequestKeys.of(KeySpec.parse("principal"), ips, MissingKey.SKIP).resolve(anonymous);
        Resolution rejected = RequestKeys.of(KeySpec.parse("query:api_key"), ips, MissingKey.REJECT)
                .resolve(anonymous);

        assertThat(skipped.action()).isEqualTo(Action.SKIP);
        assertThat(rejected.action()).isEqualTo(Action.REJECT);
        assertThat(rejected.rejection().status()).isEqualTo(400);
        assertThat(rejected.rejection().body()).contains("\"detail\":\"the request has no query parameter api_key\"");
    }

    @Test
    void ipKey_behindTrustedProxy_usesTheForwardedClient() {
        RequestKeys keys = RequestKeys.of(KeySpec.IP, ips, MissingKey.REJECT);

        Resolution resolution =
                keys.resolve(FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "198.51.100.1, 203.0.113.7"));

        assertThat(resolution.key()).isEqualTo(BucketKey.of("ip", "203.0.113.7"));
    }

    @Test
    void longValues_areHashedIntoTheirOwnNamespace_neverFailing() {
        RequestKeys keys = RequestKeys.of(KeySpec.parse("header:X-User"), ips, MissingKey.CLIENT_IP);
        String huge = "x".repeat(5000);

        BucketKey a = keys.resolve(FakeRequest.from("192.0.2.1").header("X-User", huge + "1"))
                .key();
        BucketKey b = keys.resolve(FakeRequest.from("192.0.2.1").header("X-User", huge + "2"))
                .key();

        assertThat(a.parts().get(0)).isEqualTo("header:x-user#sha256");
        assertThat(a.parts().get(1)).hasSize(64);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void missingKey_parse_namesTheBadValue() {
        assertThat(MissingKey.parse("client-ip")).isEqualTo(MissingKey.CLIENT_IP);
        assertThat(MissingKey.parse(" Reject ")).isEqualTo(MissingKey.REJECT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MissingKey.parse("ignore"))
                .hasMessage("missing-key must be client-ip, skip or reject but was 'ignore'");
    }
}
