package io.rxon.orchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which webhook URLs are called: the SSRF table of issue 12, public receivers, and the allow-list. */
class WebhookAddressPolicyTest {

    private final WebhookAddressPolicy defaults = WebhookAddressPolicy.allowing(List.of());
    private final WebhookAddressPolicy allowing = WebhookAddressPolicy.allowing(
            List.of(" 127.0.0.2", "10.1.0.0/16", "Hooks.Internal", "*.corp.example", "fd00::/8", ""));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1:8080/hook       | loopback",
        "http://127.255.255.254/          | loopback",
        "http://localhost:9000/           | loopback name",
        "http://LOCALHOST./               | loopback name",
        "http://api.localhost/            | loopback name",
        "http://[::1]:8080/               | loopback",
        "http://[0:0:0:0:0:0:0:1]/        | loopback",
        "http://[::ffff:127.0.0.1]/       | loopback",
        "http://[::ffff:7f00:1]/          | loopback",
        "http://[::127.0.0.1]/            | loopback, inside the IPv6 address",
        "http://[64:ff9b::a9fe:a9fe]/     | link-local (cloud metadata), inside the IPv6 address",
        "http://[2002:c0a8:101::1]/       | private (RFC 1918), inside the IPv6 address",
        "http://0x7f000001/               | loopback",
        "http://0X7F.0.0.1/               | loopback",
        "http://2130706433/               | loopback",
        "http://017700000001/             | loopback",
        "http://0177.0.0.1/               | loopback",
        "http://127.1/                    | loopback",
        "http://127.0.1/                  | loopback",
        "http://127.0.0.1./               | loopback",
        "http://169.254.169.254/latest/   | link-local",
        "http://0xa9fea9fe/               | link-local",
        "http://[fe80::1%25eth0]/         | link-local",
        "http://10.0.0.1/                 | private (RFC 1918)",
        "http://172.16.5.4/               | private (RFC 1918)",
        "http://172.31.255.255/           | private (RFC 1918)",
        "http://192.168.1.1/              | private (RFC 1918)",
        "http://100.64.0.1/               | carrier-grade NAT",
        "http://[fc00::1]/                | unique-local",
        "http://[fd12:3456::1]/           | unique-local",
        "http://[fec0::1]/                | site-local",
        "http://0.0.0.0:8080/             | unspecified",
        "http://0/                        | unspecified",
        "http://[::]/                     | unspecified",
        "http://224.0.0.1/                | multicast",
        "http://[ff02::1]/                | multicast",
        "http://255.255.255.255/          | broadcast",
        "http://user:pass@example.com/    | credentials",
        "http://user@example.com/         | credentials",
        "http://user:pass@127.0.0.2/      | credentials",
        "ftp://example.com/               | only http and https",
        "file:///etc/passwd               | only http and https",
        "gopher://127.0.0.1:25/           | only http and https",
        "http:example.com                 | only http and https",
        "http:///hook                     | no host",
        "http://256.0.0.1/                | not a valid IPv4 address",
        "http://0x1ffffffff/              | not a valid IPv4 address",
        "http://08.0.0.1/                 | not a valid IPv4 address",
        "http://[::1/                     | not a valid URL",
        "http://example.com:99999/        | host or port is not valid",
        "http://%31%32%37.0.0.1/          | not a valid host name",
    })
    void shouldRefuseUrlsThatReachInsideByDefault(String url, String reason) {
        // given the default policy (no allow-list)
        // when a URL is judged at submit
        WebhookAddressPolicy.Verdict verdict = defaults.check(url);

        // then it is refused with the reason
        assertThat(verdict).isInstanceOfSatisfying(WebhookAddressPolicy.Refused.class,
                refused -> assertThat(refused.reason()).contains(reason));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://hooks.example.com/rxon?token=abc | hooks.example.com | 443 | /rxon?token=abc",
        "http://example.com                       | example.com       | 80  | /",
        "HTTPS://Example.COM:8443/a/b             | example.com       | 8443| /a/b",
        "http://8.8.8.8/hook                      | 8.8.8.8           | 80  | /hook",
        "http://203.0.113.7:9000/                 | 203.0.113.7       | 9000| /",
        "http://[2606:4700::1111]/                | 2606:4700:0:0:0:0:0:1111 | 80 | /",
        "http://[::ffff:8.8.4.4]/                 | 8.8.4.4           | 80  | /",
        "http://100.128.0.1/                      | 100.128.0.1       | 80  | /",
        "http://172.32.0.1/                       | 172.32.0.1        | 80  | /",
    })
    void shouldAcceptPublicReceivers(String url, String host, int port, String pathAndQuery) {
        WebhookAddressPolicy.Verdict verdict = defaults.check(url);

        assertThat(verdict).isInstanceOfSatisfying(WebhookAddressPolicy.Target.class, target -> {
            assertThat(target.host()).isEqualTo(host);
            assertThat(target.port()).isEqualTo(port);
            assertThat(target.pathAndQuery()).isEqualTo(pathAndQuery);
            assertThat(target.trusted()).isFalse();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.2:8080/hook", "http://0x7f000002/", "http://10.1.200.3/", "http://hooks.internal/",
        "http://HOOKS.internal./", "https://ci.corp.example/hook", "http://[fd00::5]/"})
    void shouldAcceptAllowListedInternalReceivers(String url) {
        assertThat(allowing.check(url)).isInstanceOfSatisfying(WebhookAddressPolicy.Target.class,
                target -> assertThat(target.trusted()).isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1/", "http://10.2.0.1/", "http://user:pw@hooks.internal/", "ftp://hooks.internal/",
        "http://[fc00::5]/", "http://localhost/"})
    void shouldStillRefuseWhatTheAllowListDoesNotCover(String url) {
        assertThat(allowing.check(url)).isInstanceOf(WebhookAddressPolicy.Refused.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://corp.example/", "http://evilcorp.example/", "http://hooks.internal.evil.example/"})
    void shouldNotTrustNamesTheAllowListDoesNotName(String url) {
        // names are judged by their addresses at delivery unless an entry names them
        assertThat(allowing.check(url)).isInstanceOfSatisfying(WebhookAddressPolicy.Target.class,
                target -> assertThat(target.trusted()).isFalse());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "203.0.113.5,127.0.0.1 | resolves to 127.0.0.1, a loopback address",
        "10.9.9.9              | private (RFC 1918)",
        "169.254.169.254       | link-local",
        "::1                   | loopback",
        "fd00::1               | unique-local",
        "64:ff9b::7f00:1       | loopback, inside the IPv6 address",
    })
    void shouldRefuseANameThatResolvesInsideAtDelivery(String answer, String reason) {
        // given a name accepted at submit (names are not resolved then)
        WebhookAddressPolicy.Target target = (WebhookAddressPolicy.Target) defaults.check("https://rebind.example/");

        // when its DNS answer at delivery holds an internal address
        Optional<String> refusal = defaults.refusal(target, addresses(answer));

        // then the call is refused
        assertThat(refusal).hasValueSatisfying(text -> assertThat(text).contains("rebind.example").contains(reason));
    }

    @Test
    void shouldCallANameThatResolvesOnlyToPublicOrAllowListedAddresses() {
        WebhookAddressPolicy.Target publicName = (WebhookAddressPolicy.Target) allowing.check("https://a.example/");
        WebhookAddressPolicy.Target trustedName = (WebhookAddressPolicy.Target) allowing.check("http://hooks.internal/");

        assertThat(allowing.refusal(publicName, addresses("203.0.113.5,2606:4700::1111"))).isEmpty();
        assertThat(allowing.refusal(publicName, addresses("203.0.113.5,10.1.0.9"))).isEmpty();
        assertThat(allowing.refusal(trustedName, addresses("192.168.7.7"))).isEmpty();
        assertThat(allowing.refusal(publicName, List.of())).hasValueSatisfying(
                text -> assertThat(text).contains("no address"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/x", "host name with spaces", "*.", "999.1.1.1", "a/8", "::1/129"})
    void shouldRefuseAMalformedAllowListEntryAtStartup(String entry) {
        assertThatThrownBy(() -> WebhookAddressPolicy.allowing(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RXON_WEBHOOK_ALLOWED_HOSTS");
    }

    private static List<InetAddress> addresses(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::trim).map(text -> {
            try {
                return InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }).toList();
    }
}
