package io.rxon.orchestrator.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads an IP address written in any form a resolver would take as one, without asking DNS:
 * IPv6 literals (with or without brackets and zone), and IPv4 in the forms of C's
 * {@code inet_aton} that {@code getaddrinfo} accepts: one to four parts, each decimal, octal
 * ({@code 0177}) or hexadecimal ({@code 0x7f}), e.g. {@code 2130706433}, {@code 0x7f000001},
 * {@code 0177.0.0.1}, {@code 127.1}. A host that is not a literal is a name.
 */
final class IpLiterals {

    private static final Pattern PART = Pattern.compile("0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*");
    private static final Pattern NUMERIC_LOOKING = Pattern.compile("[0-9][0-9a-fA-FxX]*");
    private static final long[] LAST_PART_LIMIT = {0xFFFF_FFFFL, 0xFF_FFFFL, 0xFFFFL, 0xFFL};

    private IpLiterals() {}

    /** What a host string is: a literal address, a name, or neither (digits that are no valid address). */
    sealed interface Host permits Literal, Name, Malformed {}

    record Literal(InetAddress address) implements Host {}

    record Name(String name) implements Host {}

    record Malformed(String reason) implements Host {}

    /** Classifies a host as it appears in a URL authority (IPv6 in brackets) or in a setting. */
    static Host parse(String host) {
        String value = host.endsWith(".") && !host.endsWith("..") ? host.substring(0, host.length() - 1) : host;
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.contains(":")) {
            return ipv6(value).<Host>map(Literal::new)
                    .orElseGet(() -> new Malformed("'" + host + "' is not a valid IPv6 address"));
        }
        String[] parts = value.split("\\.", -1);
        boolean numeric = parts.length <= 4;
        for (String part : parts) {
            numeric &= NUMERIC_LOOKING.matcher(part).matches();
        }
        if (!numeric) {
            return new Name(value.toLowerCase(Locale.ROOT));
        }
        return ipv4(parts).<Host>map(Literal::new)
                .orElseGet(() -> new Malformed("'" + host + "' looks numeric but is not a valid IPv4 address"));
    }

    private static Optional<InetAddress> ipv6(String value) {
        // A zone (fe80::1%eth0) only exists for link-local addresses; the address alone decides.
        int zone = value.indexOf('%');
        String address = zone < 0 ? value : value.substring(0, zone);
        if (!address.matches("[0-9a-fA-F:.]+")) {
            return Optional.empty();
        }
        try {
            // Only hex digits, colons and dots: InetAddress parses it as a literal and never queries DNS.
            return Optional.of(InetAddress.getByName(address));
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<InetAddress> ipv4(String[] parts) {
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!PART.matcher(parts[i]).matches()) {
                return Optional.empty();
            }
            values[i] = number(parts[i]);
            long limit = i == parts.length - 1 ? LAST_PART_LIMIT[parts.length - 1] : 0xFF;
            if (values[i] < 0 || values[i] > limit) {
                return Optional.empty();
            }
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            address |= values[i] << (24 - 8 * i);
        }
        address |= values[parts.length - 1];
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    private static long number(String part) {
        try {
            if (part.length() > 1 && (part.charAt(1) == 'x' || part.charAt(1) == 'X')) {
                return part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
            }
            if (part.length() > 1 && part.charAt(0) == '0') {
                return Long.parseLong(part.substring(1), 8);
            }
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            return -1; // longer than a long: certainly out of range
        }
    }
}
