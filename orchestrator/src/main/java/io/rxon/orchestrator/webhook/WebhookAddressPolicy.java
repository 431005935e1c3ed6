package io.rxon.orchestrator.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which webhook URLs the orchestrator calls, so that a client cannot make it reach inside its own
 * network (SSRF). Only http(s) URLs without credentials; hosts on loopback, link-local, private,
 * unique-local, unspecified, multicast and reserved addresses ({@link AddressClasses}) are refused
 * unless an allow-list entry (host name, {@code *.suffix}, IP or CIDR) names them. Judged twice: at
 * submit on the URL alone (literal addresses in every encoding, no DNS), and at delivery on every
 * address the host name resolved to, which is then the address connected to.
 */
public final class WebhookAddressPolicy {

    /** The setting allow-list entries come from, named in refusals so operators know where to look. */
    public static final String ALLOW_LIST_VARIABLE = "RXON_WEBHOOK_ALLOWED_HOSTS";

    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?");

    private final List<Cidr> allowedRanges = new ArrayList<>();
    private final List<String> allowedNames = new ArrayList<>();
    private final List<String> allowedSuffixes = new ArrayList<>();

    /** The outcome for one URL: a target to resolve and call, or a refusal. */
    public sealed interface Verdict permits Target, Refused {}

    /**
     * A URL that may be called as far as the URL alone tells. {@code literal} is the address when the
     * host is written as one; {@code trusted} when an allow-list entry names the host.
     */
    public record Target(String scheme, String host, int port, String pathAndQuery, Optional<InetAddress> literal,
            boolean trusted) implements Verdict {
        public boolean ssl() {
            return "https".equals(scheme);
        }
    }

    /** Why a URL is not called. */
    public record Refused(String reason) implements Verdict {}

    private WebhookAddressPolicy() {}

    /** A policy with these allow-list entries (blank ones ignored); a malformed entry is refused at once. */
    public static WebhookAddressPolicy allowing(List<String> entries) {
        WebhookAddressPolicy policy = new WebhookAddressPolicy();
        for (String raw : entries) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (!entry.isEmpty()) {
                policy.allow(entry);
            }
        }
        return policy;
    }

    private void allow(String entry) {
        if (entry.startsWith("*.") && HOST_NAME.matcher(entry.substring(2)).matches()) {
            allowedSuffixes.add(entry.substring(1));
            return;
        }
        String address = entry.contains("/") ? entry.substring(0, entry.indexOf('/')) : entry;
        IpLiterals.Host host = IpLiterals.parse(address);
        if (host instanceof IpLiterals.Literal) {
            try {
                allowedRanges.add(Cidr.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ALLOW_LIST_VARIABLE + ": " + e.getMessage(), e);
            }
        } else if (host instanceof IpLiterals.Name name && !entry.contains("/") && HOST_NAME.matcher(name.name()).matches()) {
            allowedNames.add(name.name());
        } else {
            throw new IllegalArgumentException(ALLOW_LIST_VARIABLE + ": '" + entry
                    + "' is neither a host name, *.domain, an IP address nor a CIDR range");
        }
    }

    /** Judges a URL on its own, without DNS: what submit does, and delivery before it resolves. */
    public Verdict check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return new Refused("it is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.isOpaque()) {
            return new Refused("only http and https URLs are called");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            return new Refused("it has no host");
        }
        if (authority.contains("@")) {
            return new Refused("it must not carry credentials (user:password@)");
        }
        int portStart = authority.startsWith("[") ? authority.indexOf(']') + 1 : authority.lastIndexOf(':');
        String host = portStart <= 0 ? authority : authority.substring(0, portStart);
        String portText = portStart <= 0 || portStart == authority.length() ? ""
                : authority.substring(portStart + (authority.charAt(portStart) == ':' ? 1 : 0));
        int port = port(portText, scheme);
        if (host.isEmpty() || port < 0) {
            return new Refused("its host or port is not valid");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String pathAndQuery = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return target(scheme, host, port, pathAndQuery);
    }

    private static int port(String text, String scheme) {
        if (text.isEmpty()) {
            return scheme.equals("https") ? 443 : 80;
        }
        if (!text.matches("[0-9]{1,5}")) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? port : -1;
    }

    private Verdict target(String scheme, String host, int port, String pathAndQuery) {
        IpLiterals.Host parsed = IpLiterals.parse(host.toLowerCase(Locale.ROOT));
        if (parsed instanceof IpLiterals.Malformed malformed) {
            return new Refused("its host " + malformed.reason());
        }
        if (parsed instanceof IpLiterals.Literal literal) {
            InetAddress address = literal.address();
            boolean trusted = isAllowed(address);
            Optional<String> refusal = trusted ? Optional.empty() : AddressClasses.refusal(address);
            return refusal.<Verdict>map(label -> refusedAddress("its host " + host + " is a " + label + " address"))
                    .orElseGet(() -> new Target(scheme, address.getHostAddress(), port, pathAndQuery,
                            Optional.of(address), trusted));
        }
        String name = ((IpLiterals.Name) parsed).name();
        if (!HOST_NAME.matcher(name).matches()) {
            return new Refused("its host is not a valid host name");
        }
        boolean trusted = isAllowed(name);
        if (!trusted && isLoopbackName(name)) {
            return refusedAddress("its host " + name + " is a loopback name");
        }
        return new Target(scheme, name, port, pathAndQuery, Optional.empty(), trusted);
    }

    /**
     * Judges the addresses a target's host name resolved to, at delivery: every one must be allowed,
     * so a name that also resolves inside is refused whichever address a client would have picked.
     */
    public Optional<String> refusal(Target target, List<InetAddress> addresses) {
        if (target.trusted()) {
            return Optional.empty();
        }
        if (addresses.isEmpty()) {
            return Optional.of("its host " + target.host() + " resolves to no address");
        }
        for (InetAddress address : addresses) {
            Optional<String> label = isAllowed(address) ? Optional.empty() : AddressClasses.refusal(address);
            if (label.isPresent()) {
                return Optional.of("its host " + target.host() + " resolves to " + address.getHostAddress() + ", a "
                        + label.get() + " address");
            }
        }
        return Optional.empty();
    }

    private static Refused refusedAddress(String reason) {
        return new Refused(reason + " (operators allow internal receivers with " + ALLOW_LIST_VARIABLE + ")");
    }

    /** RFC 6761: these names always mean this machine, whatever DNS says. */
    private static boolean isLoopbackName(String name) {
        return name.equals("localhost") || name.endsWith(".localhost") || name.equals("localhost.localdomain");
    }

    private boolean isAllowed(InetAddress address) {
        return allowedRanges.stream().anyMatch(range -> range.contains(address));
    }

    private boolean isAllowed(String name) {
        return allowedNames.contains(name) || allowedSuffixes.stream().anyMatch(name::endsWith);
    }
}
