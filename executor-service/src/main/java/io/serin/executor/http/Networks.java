package io.serin.executor.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The network rule: a gate may be called only at public addresses. Loopback, link-local (with the
 * cloud metadata address 169.254.169.254), private, shared (CGNAT), unique-local, multicast,
 * unspecified and reserved addresses are blocked, also when written as IPv6 forms that embed an
 * IPv4 address (mapped, compatible, NAT64, 6to4), unless an operator allowed their network.
 */
final class Networks {

    /** What is not public, beyond what {@link InetAddress}'s own predicates say. */
    private static final List<Cidr> BLOCKED = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"),
            Cidr.parse("127.0.0.0/8"), Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.0.0.0/24"), Cidr.parse("192.0.2.0/24"), Cidr.parse("192.168.0.0/16"),
            Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"), Cidr.parse("203.0.113.0/24"),
            Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"),
            Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"),
            Cidr.parse("fec0::/10"), Cidr.parse("ff00::/8"), Cidr.parse("2001:db8::/32"), Cidr.parse("100::/64"),
            // local-use NAT64, IPv4-translated, Teredo, the 6to4 relay anycast
            Cidr.parse("64:ff9b:1::/48"), Cidr.parse("::ffff:0:0:0/96"), Cidr.parse("2001::/32"),
            Cidr.parse("192.88.99.0/24"));

    private final List<Cidr> allowed;

    /** @param allowed CIDRs ({@code 10.20.0.0/16}, {@code 127.0.0.1/32}, {@code ::1/128}) allowed although not public */
    Networks(List<String> allowed) {
        this.allowed = allowed.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
    }

    /** Why a gate may not be called at {@code address}; empty when it may. */
    Optional<String> whyNot(InetAddress address) {
        InetAddress embedded = embeddedIpv4(address).orElse(address);
        for (Cidr cidr : allowed) {
            if (cidr.contains(address) || cidr.contains(embedded)) {
                return Optional.empty();
            }
        }
        if (!isPublic(address) || !isPublic(embedded)) {
            return Optional.of(address.getHostAddress() + " is loopback, private, link-local, shared, multicast or "
                    + "reserved (allow its network with serin.executor.gates.allowed-networks)");
        }
        return Optional.empty();
    }

    private static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        return BLOCKED.stream().noneMatch(c -> c.contains(a));
    }

    /** The IPv4 address an IPv6 address stands for: ::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d, 2002:aabb:ccdd::. */
    static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) {
            return Optional.empty();
        }
        int from;
        if (zero(b, 0, 10) && (b[10] == (byte) 0xff && b[11] == (byte) 0xff || b[10] == 0 && b[11] == 0)) {
            from = 12; // mapped, or compatible (which makes :: and ::1 0.0.0.0 and 0.0.0.1: blocked either way)
        } else if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && zero(b, 4, 12)) {
            from = 12; // NAT64
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            from = 2; // 6to4
        } else {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]}));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "public addresses and " + allowed;
    }

    /** A network: an address and how many leading bits of it count. */
    record Cidr(byte[] network, int bits, String text) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String ip = slash < 0 ? text : text.substring(0, slash);
            if (!ip.matches("[0-9a-fA-F:.]+")) { // a literal only: a name here would be resolved
                throw new IllegalArgumentException("'" + text + "' is not a network in CIDR notation");
            }
            try {
                byte[] network = InetAddress.getByName(ip).getAddress();
                int bits = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
                if (bits < 0 || bits > network.length * 8) {
                    throw new IllegalArgumentException("'" + text + "' has a prefix length out of range");
                }
                return new Cidr(network, bits, text);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a network in CIDR notation", e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
