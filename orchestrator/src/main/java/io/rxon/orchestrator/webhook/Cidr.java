package io.rxon.orchestrator.webhook;

import java.net.InetAddress;

/** An address range such as {@code 10.0.0.0/8} or {@code fc00::/7}; a bare address is a range of one. */
record Cidr(InetAddress network, int prefix) {

    Cidr {
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix /" + prefix + " does not fit " + network.getHostAddress());
        }
    }

    /** Parses {@code address} or {@code address/prefix}; the address in any literal form, never a name. */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (!(IpLiterals.parse(address) instanceof IpLiterals.Literal literal)) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
        }
        int bits = literal.address().getAddress().length * 8;
        try {
            return new Cidr(literal.address(), slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no valid prefix length", e);
        }
    }

    boolean contains(InetAddress address) {
        byte[] range = network.getAddress();
        byte[] candidate = address.getAddress();
        if (range.length != candidate.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((range[bit / 8] & mask) != (candidate[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
