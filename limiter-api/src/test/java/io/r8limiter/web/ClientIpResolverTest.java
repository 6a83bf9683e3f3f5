package io.r8limiter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientIpResolverTest {

    private static final String CLIENT = "203.0.113.7";

    private final ClientIpResolver loopback = ClientIpResolver.parse("127.0.0.1");
    private final ClientIpResolver twoTiers = ClientIpResolver.parse("127.0.0.1, 10.0.0.0/8");

    @Test
    void untrustedPeer_isTheClient_whateverTheHeadersSay_c17run1() {
        String result =
                ClientIpResolver.none().resolve("127.0.0.1", List.of("198.51.100.1"), List.of("for=198.51.100.2"));

        assertThat(result).isEqualTo("127.0.0.1");
    }

    @Test
    void trustedPeer_yieldsRightmostUntrustedEntry_c17runs2to4() {
        assertThat(loopback.resolve("127.0.0.1", List.of("198.51.100.1, " + CLIENT), List.of()))
                .isEqualTo(CLIENT);
        assertThat(loopback.resolve("127.0.0.1", List.of(), List.of("for=198.51.100.1, for=" + CLIENT)))
                .isEqualTo(CLIENT);
        assertThat(twoTiers.resolve("127.0.0.1", List.of("198.51.100.9, " + CLIENT + ", 10.1.2.3"), List.of()))
                .isEqualTo(CLIENT);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "garbage17|127.0.0.1",
                "1.2.3.17.5|127.0.0.1",
                "''|127.0.0.1",
                "unknown|127.0.0.1",
                "01.2.3.4|127.0.0.1",
                "256.1.1.1|127.0.0.1",
                "garbage, 203.0.113.7|203.0.113.7",
                "203.0.113.7, garbage|127.0.0.1",
                "203.0.113.7:8080|203.0.113.7",
                "[2001:db8::1]:443|2001:db8:0:0:0:0:0:1",
                "2001:DB8::1|2001:db8:0:0:0:0:0:1",
                "::ffff:203.0.113.7|203.0.113.7",
                "fe80::1%eth0|127.0.0.1",
                "localhost|127.0.0.1"
            })
    void malformedEntries_neverYieldACallerChosenAddress_c17run5(String xff, String expected) {
        assertThat(loopback.resolve("127.0.0.1", List.of(xff), List.of())).isEqualTo(expected);
    }

    @Test
    void severalHeaderLines_areReadAsOneList_c17run5() {
        assertThat(loopback.resolve("127.0.0.1", List.of("198.51.100.77", CLIENT), List.of()))
                .isEqualTo(CLIENT);
    }

    @Test
    void forwarded_quotedIpv6WithPort_andOtherParameters() {
        String header = "for=198.51.100.1;proto=http, For=\"[2001:db8:cafe::17]:4711\";by=127.0.0.1";

        assertThat(loopback.resolve("127.0.0.1", List.of(), List.of(header))).isEqualTo("2001:db8:cafe:0:0:0:0:17");
    }

    @Test
    void forwarded_elementWithoutFor_stopsTheWalk() {
        assertThat(loopback.resolve("127.0.0.1", List.of(), List.of("for=" + CLIENT + ", proto=https")))
                .isEqualTo("127.0.0.1");
    }

    @Test
    void bothHeadersDisagreeing_fallBackToThePeer() {
        String result = loopback.resolve("127.0.0.1", List.of("198.51.100.1, " + CLIENT), List.of("for=192.0.2.99"));

        assertThat(result).isEqualTo("127.0.0.1");
    }

    @Test
    void bothHeadersAgreeing_areBelieved() {
        String result = loopback.resolve("127.0.0.1", List.of(CLIENT), List.of("for=" + CLIENT));

        assertThat(result).isEqualTo(CLIENT);
    }

    @Test
    void ipv6Proxies_andBlocks_areTrusted() {
        ClientIpResolver resolver = ClientIpResolver.parse("::1 fd00::/8");

        assertThat(resolver.resolve("0:0:0:0:0:0:0:1", List.of(CLIENT + ", fd12::9"), List.of()))
                .isEqualTo(CLIENT);
        assertThat(resolver.resolve("[::1]", List.of("fe80::2"), List.of())).isEqualTo("fe80:0:0:0:0:0:0:2");
        assertThat(resolver.isTrusted("fdff::1")).isTrue();
        assertThat(resolver.isTrusted("fe00::1")).isFalse();
    }

    @Test
    void ipv4MappedProxy_matchesTheIpv4Block() {
        ClientIpResolver resolver = ClientIpResolver.parse("10.0.0.0/8");

        assertThat(resolver.resolve("::ffff:10.9.9.9", List.of(CLIENT), List.of()))
                .isEqualTo(CLIENT);
        assertThat(ClientIpResolver.parse("::ffff:10.0.0.0/104").isTrusted("10.200.0.1"))
                .isTrue();
    }

    @Test
    void cidrPrefix_matchesPartialBytes() {
        ClientIpResolver resolver = ClientIpResolver.parse("192.168.4.0/22");

        assertThat(resolver.isTrusted("192.168.7.255")).isTrue();
        assertThat(resolver.isTrusted("192.168.8.0")).isFalse();
        assertThat(resolver.isTrusted("192.168.3.255")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "proxy.example.com|trusted proxy must be an IP address or CIDR block (such as 10.0.0.0/8) but was "
                        + "'proxy.example.com'",
                "10.0.0.0/33|trusted proxy '10.0.0.0/33' must have a prefix length between 0 and 32 after the /",
                "10.0.0.0/|trusted proxy '10.0.0.0/' must have a prefix length between 0 and 32 after the /",
                "::1/129|trusted proxy '::1/129' must have a prefix length between 0 and 128 after the /"
            })
    void badTrustedProxies_failNamingTheEntry(String entry, String message) {
        assertThatThrownBy(() -> ClientIpResolver.of(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void unparsablePeer_isReturnedAsIs() {
        assertThat(loopback.resolve("unix:/tmp/socket", List.of(CLIENT), List.of()))
                .isEqualTo("unix:/tmp/socket");
        assertThat(loopback.resolve("", List.of(CLIENT), List.of())).isEqualTo("unknown");
    }

    /**
     * Whatever a caller writes in front of what the trusted proxy appended, the answer is the proxy's view of the
     * caller; and from an untrusted peer, the peer. Many seeds of random, hostile header content.
     */
    @Test
    void randomSpoofing_neverChangesTheResolvedClient() {
        for (long seed = 0; seed < 2_000; seed++) {
            Random random = new Random(seed);
            List<String> spoofed = randomEntries(random);
            String xff = String.join(random.nextBoolean() ? "," : ", ", spoofed);
            String forwarded = forwardedOf(spoofed);

            String viaXff = twoTiers.resolve("127.0.0.1", List.of(xff, CLIENT + ", 10.0.0.1"), List.of());
            String viaForwarded =
                    twoTiers.resolve("10.2.3.4", List.of(), List.of(forwarded, "for=" + CLIENT + ";proto=https"));
            String untrusted = twoTiers.resolve("192.0.2.50", List.of(xff), List.of(forwarded));
            String bothFromTrusted = twoTiers.resolve("127.0.0.1", List.of(xff + ", " + CLIENT), List.of(forwarded));

            assertThat(viaXff).as("seed %d xff %s", seed, xff).isEqualTo(CLIENT);
            assertThat(viaForwarded).as("seed %d forwarded %s", seed, forwarded).isEqualTo(CLIENT);
            assertThat(untrusted).as("seed %d", seed).isEqualTo("192.0.2.50");
            assertThat(bothFromTrusted).as("seed %d", seed).isIn(CLIENT, "127.0.0.1");
        }
    }

    /** With only caller-written content behind a trusted proxy, the answer is one of few fixed values per caller. */
    @Test
    void randomGarbage_fromTrustedPeer_neverGivesAFreshAddressPerRequest() {
        for (long seed = 0; seed < 2_000; seed++) {
            Random random = new Random(seed);
            String garbage = randomGarbage(random);

            String result = loopback.resolve("127.0.0.1", List.of(garbage), List.of());

            assertThat(result).as("seed %d header %s", seed, garbage).isEqualTo("127.0.0.1");
        }
    }

    private static List<String> randomEntries(Random random) {
        List<String> entries = new ArrayList<>();
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            entries.add(
                    switch (random.nextInt(5)) {
                        case 0 -> randomIpv4(random);
                        case 1 -> "2001:db8::" + Integer.toHexString(random.nextInt(0xffff));
                        case 2 -> "10." + random.nextInt(256) + ".0.1";
                        case 3 -> randomIpv4(random) + ":" + random.nextInt(65536);
                        default -> randomGarbage(random);
                    });
        }
        return entries;
    }

    private static String forwardedOf(List<String> entries) {
        List<String> elements = new ArrayList<>();
        for (String entry : entries) {
            elements.add("for=\"" + entry.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return String.join(", ", elements);
    }

    private static String randomIpv4(Random random) {
        return random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
    }

    private static String randomGarbage(Random random) {
        String alphabet = "0123456789.:abcdef[]\"; =%xyz-_";
        StringBuilder sb = new StringBuilder();
        int length = 1 + random.nextInt(20);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        String s = sb.toString();
        // a random string may happen to be a valid literal; make it unambiguously invalid
        return IpAddresses.parse(IpAddresses.stripPort(s.replace(",", ""))) == null ? s.replace(",", "") : "x" + s;
    }
}
