package io.r8limiter.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.spring.autoconfigure.RedisTarget.Mode;
import io.r8limiter.spring.autoconfigure.RedisTarget.Node;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.UnifiedJedis;

class JedisClientsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void tls_checksTheServersNameAgainstItsCertificate() {
        // ssl(true) alone accepts any certificate the JVM trusts, whoever it names: a man in the middle with a
        // certificate for another host would read every key the limiter sends.
        JedisClientConfig server = JedisClients.config(target(true, null), TIMEOUT, TIMEOUT, null);
        JedisClientConfig sentinel = JedisClients.sentinelConfig(target(true, null), TIMEOUT, TIMEOUT);

        assertThat(server.isSsl()).isTrue();
        assertThat(server.getSslParameters().getEndpointIdentificationAlgorithm())
                .isEqualTo("HTTPS");
        assertThat(sentinel.getSslParameters().getEndpointIdentificationAlgorithm())
                .isEqualTo("HTTPS");
    }

    @Test
    void sslBundle_givesTheSocketFactory_protocolsAndCiphers() {
        SslBundle bundle = SslBundle.of(
                SslStoreBundle.NONE,
                null,
                SslOptions.of(new String[] {"TLS_AES_128_GCM_SHA256"}, new String[] {"TLSv1.3"}));

        JedisClientConfig config = JedisClients.config(target(true, bundle), TIMEOUT, TIMEOUT, null);

        SSLParameters parameters = config.getSslParameters();
        assertThat(config.getSslSocketFactory()).isNotNull();
        assertThat(parameters.getCipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256");
        assertThat(parameters.getProtocols()).containsExactly("TLSv1.3");
        assertThat(parameters.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    }

    @Test
    void plainConnections_carryNoTlsSettings() {
        JedisClientConfig config = JedisClients.config(target(false, null), TIMEOUT, TIMEOUT, "app");

        assertThat(config.isSsl()).isFalse();
        assertThat(config.getSslParameters()).isNull();
        assertThat(config.getClientName()).isEqualTo("app");
    }

    @Test
    void certificateForAnotherHost_failsTheHandshake_evenWhenTrusted(@TempDir Path dir) throws Exception {
        // A real TLS server whose trusted certificate names other.example only: connecting to 127.0.0.1 must fail
        // on the name, not succeed because the certificate is trusted.
        KeyStore store = keyStore(dir, "other.example");
        SslBundle bundle = SslBundle.of(SslStoreBundle.of(store, "secret", store));
        try (SSLServerSocket listener = (SSLServerSocket) bundle.createSslContext()
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> handshakeEach(listener), "tls-server");
            accept.setDaemon(true);
            accept.start();
            RedisTarget target = new RedisTarget(
                    Mode.STANDALONE,
                    List.of(new Node("127.0.0.1", listener.getLocalPort())),
                    null,
                    0,
                    null,
                    null,
                    null,
                    null,
                    true,
                    bundle);

            try (UnifiedJedis jedis = JedisClients.create(target, TIMEOUT, TIMEOUT, null)) {
                assertThatThrownBy(jedis::ping).hasStackTraceContaining("No subject alternative names");
            }
        }
    }

    /** Handshakes with every client (building the client already connects once) until the listener closes. */
    private static void handshakeEach(SSLServerSocket listener) {
        while (!listener.isClosed()) {
            try (SSLSocket socket = (SSLSocket) listener.accept()) {
                socket.startHandshake();
                socket.getInputStream().read();
            } catch (Exception expected) {
                // The client aborts the handshake, or the listener closed; nothing to serve.
            }
        }
    }

    private static KeyStore keyStore(Path dir, String name) throws Exception {
        Path file = dir.resolve("redis.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "redis",
                        "-keyalg",
                        "EC",
                        "-dname",
                        "CN=" + name,
                        "-ext",
                        "san=dns:" + name,
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        file.toString(),
                        "-storepass",
                        "secret")
                .redirectErrorStream(true)
                .start();
        assertThat(keytool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue())
                .as(new String(keytool.getInputStream().readAllBytes()))
                .isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, "secret".toCharArray());
        }
        return store;
    }

    private static RedisTarget target(boolean ssl, SslBundle bundle) {
        return new RedisTarget(
                Mode.STANDALONE,
                List.of(new Node("cache.example", 6380)),
                null,
                0,
                null,
                null,
                null,
                null,
                ssl,
                bundle);
    }
}
