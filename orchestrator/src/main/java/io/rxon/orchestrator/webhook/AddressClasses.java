package io.rxon.orchestrator.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The address ranges a webhook may not reach unless allow-listed: everything that is not a
 * public unicast address. IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64,
 * 6to4) are judged by the IPv4 address they carry. Documentation ranges (192.0.2.0/24 & co.) are
 * not refused: nothing routes them anyway.
 */
final class AddressClasses {

    /** A refused range and what to call it in the error message. */
    private record Range(Cidr cidr, String label) {}

    private static final List<Range> REFUSED = List.of(
            range("0.0.0.0/8", "unspecified ('this network', 0.0.0.0/8)"),
            range("10.0.0.0/8", "private (RFC 1918)"),
            // Shared address space (RFC 6598): carrier-grade NAT, and inside clusters and overlay
            // networks (Tailscale, some pod networks) as good as private.
            range("100.64.0.0/10", "shared/carrier-grade NAT (100.64.0.0/10)"),
            range("127.0.0.0/8", "loopback"),
            range("169.254.0.0/16", "link-local (cloud metadata)"),
            range("172.16.0.0/12", "private (RFC 1918)"),
            range("192.0.0.0/24", "IETF protocol assignments (192.0.0.0/24)"),
            range("192.168.0.0/16", "private (RFC 1918)"),
            range("198.18.0.0/15", "benchmarking (198.18.0.0/15)"),
            range("224.0.0.0/4", "multicast"),
            range("240.0.0.0/4", "reserved or broadcast (240.0.0.0/4)"),
            range("::/128", "unspecified"),
            range("::1/128", "loopback"),
            range("fc00::/7", "unique-local (fc00::/7)"),
            range("fe80::/10", "link-local"),
            range("fec0::/10", "site-local (fec0::/10)"),
            range("ff00::/8", "multicast"));

    // IPv4-mapped addresses (::ffff:a.b.c.d) need no entry: Java turns them into the IPv4 address itself.
    private static final List<Cidr> CARRYING_IPV4 = List.of(Cidr.parse("::/96"), Cidr.parse("64:ff9b::/96"));
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private AddressClasses() {}

    /** Why this address may not be reached, or empty for a public unicast address. */
    static Optional<String> refusal(InetAddress address) {
        for (Range range : REFUSED) {
            if (range.cidr().contains(address)) {
                return Optional.of(range.label());
            }
        }
        return embeddedIpv4(address).flatMap(AddressClasses::refusal)
                .map(label -> label + ", inside the IPv6 address " + address.getHostAddress());
    }

    private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        for (Cidr carrier : CARRYING_IPV4) {
            if (carrier.contains(address)) {
                return Optional.of(ipv4(Arrays.copyOfRange(bytes, 12, 16)));
            }
        }
        return SIX_TO_FOUR.contains(address) ? Optional.of(ipv4(Arrays.copyOfRange(bytes, 2, 6))) : Optional.empty();
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    private static Range range(String cidr, String label) {
        return new Range(Cidr.parse(cidr), label);
    }
}
