package io.ffmpegoperator.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which network addresses input URLs may reach. Only public unicast addresses are allowed by
 * default: loopback, private, shared (CGNAT), link-local (cloud metadata lives there), multicast,
 * reserved and unspecified addresses are refused, also when written as an IPv4-mapped, IPv4
 * compatible, NAT64 or 6to4 IPv6 address. An operator may allow chosen networks (the embedded stack
 * allows loopback so local demos work); nothing else widens the rule.
 *
 * <p>The check is made on resolved addresses, so every spelling of a host (decimal, octal, hex, a
 * DNS name) ends in the same decision; callers must connect to the addresses they checked.
 */
public final class AddressPolicy {
  /** Environment variable with the extra networks inputs may reach, as comma-separated CIDRs. */
  public static final String ALLOWED_NETWORKS_ENV = "INPUT_ALLOWED_NETWORKS";

  private static final AddressPolicy PUBLIC_ONLY = new AddressPolicy(List.of());

  private static final List<Range> REFUSED =
      List.of(
          Range.parse("0.0.0.0/8", "an unspecified address"),
          Range.parse("10.0.0.0/8", "a private address"),
          Range.parse("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
          Range.parse("127.0.0.0/8", "a loopback address"),
          Range.parse("169.254.0.0/16", "a link-local address (cloud metadata lives here)"),
          Range.parse("172.16.0.0/12", "a private address"),
          Range.parse("192.0.0.0/24", "a reserved address"),
          Range.parse("192.0.2.0/24", "a documentation address"),
          Range.parse("192.88.99.0/24", "a reserved address"),
          Range.parse("192.168.0.0/16", "a private address"),
          Range.parse("198.18.0.0/15", "a benchmarking address"),
          Range.parse("198.51.100.0/24", "a documentation address"),
          Range.parse("203.0.113.0/24", "a documentation address"),
          Range.parse("224.0.0.0/4", "a multicast address"),
          Range.parse("240.0.0.0/4", "a reserved address"),
          Range.parse("::/128", "an unspecified address"),
          Range.parse("::1/128", "a loopback address"),
          Range.parse("100::/64", "a discard address"),
          Range.parse("2001:db8::/32", "a documentation address"),
          Range.parse("fc00::/7", "a private address (cloud metadata may live here)"),
          Range.parse("fe80::/10", "a link-local address"),
          Range.parse("fec0::/10", "a site-local address"),
          Range.parse("ff00::/8", "a multicast address"));

  private final List<Range> allowed;

  private AddressPolicy(List<Range> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /** The cluster default: public addresses only. */
  public static AddressPolicy publicOnly() {
    return PUBLIC_ONLY;
  }

  /**
   * Public addresses plus the given networks.
   *
   * @param cidrs comma-separated CIDRs such as {@code 127.0.0.0/8,::1/128}; blank means none
   * @throws IllegalArgumentException for a malformed CIDR
   */
  public static AddressPolicy allowing(String cidrs) {
    if (cidrs == null || cidrs.isBlank()) {
      return PUBLIC_ONLY;
    }
    List<Range> ranges = new ArrayList<>();
    for (String cidr : cidrs.split(",")) {
      if (!cidr.isBlank()) {
        ranges.add(Range.parse(cidr.trim(), "allowed"));
      }
    }
    return new AddressPolicy(ranges);
  }

  /** The policy named by {@value #ALLOWED_NETWORKS_ENV}. */
  public static AddressPolicy fromEnv() {
    return allowing(System.getenv(ALLOWED_NETWORKS_ENV));
  }

  /** The extra networks, in the form {@link #allowing} reads; empty for the default. */
  public String allowedNetworks() {
    return String.join(",", allowed.stream().map(Range::toString).toList());
  }

  /** Why an address may not be reached, or null when it may. */
  public String refusal(InetAddress address) {
    byte[] bytes = canonical(address);
    for (Range range : allowed) {
      if (range.contains(bytes)) {
        return null;
      }
    }
    for (Range range : REFUSED) {
      if (range.contains(bytes)) {
        return range.description;
      }
    }
    return null;
  }

  /**
   * Resolves a host and checks every address it has. All must be allowed: a name with one public
   * and one private address could otherwise be steered to the private one.
   *
   * @return the addresses to connect to, and only those
   * @throws UnknownHostException when the name does not resolve
   * @throws ForbiddenAddressException when any address is refused
   */
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    InetAddress[] addresses = InetAddress.getAllByName(stripBrackets(host));
    for (InetAddress address : addresses) {
      String refusal = refusal(address);
      if (refusal != null) {
        throw new ForbiddenAddressException(host, address, refusal);
      }
    }
    return Arrays.asList(addresses);
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** The IPv4 address an IPv6 address embeds (mapped, compatible, NAT64, 6to4), else the bytes. */
  private static byte[] canonical(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return b;
    }
    if (address instanceof Inet6Address) {
      if (allZero(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
        return Arrays.copyOfRange(b, 12, 16); // ::ffff:a.b.c.d
      }
      if (allZero(b, 0, 12) && !allZero(b, 12, 16) && !(allZero(b, 12, 15) && b[15] == 1)) {
        return Arrays.copyOfRange(b, 12, 16); // ::a.b.c.d (deprecated IPv4-compatible)
      }
      if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
        return Arrays.copyOfRange(b, 12, 16); // 64:ff9b::a.b.c.d (NAT64)
      }
      if (b[0] == 0x20 && b[1] == 0x02) {
        return Arrays.copyOfRange(b, 2, 6); // 2002:aabb:ccdd:: (6to4)
      }
    }
    return b;
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** An input URL's host resolved to an address the policy refuses. */
  public static final class ForbiddenAddressException extends UnknownHostException {
    private final transient InetAddress address;

    ForbiddenAddressException(String host, InetAddress address, String why) {
      super(host + " resolves to " + why + ", which inputs may not reach");
      this.address = address;
    }

    public InetAddress address() {
      return address;
    }
  }

  /** A CIDR block. */
  private record Range(byte[] network, int prefix, String description) {
    static Range parse(String cidr, String description) {
      int slash = cidr.indexOf('/');
      String host = slash < 0 ? cidr : cidr.substring(0, slash);
      if (!host.matches("[0-9a-fA-F:.]+")) {
        throw new IllegalArgumentException("'" + cidr + "' is not a CIDR such as 127.0.0.0/8");
      }
      byte[] network;
      try {
        network = InetAddress.getByName(host).getAddress(); // a literal: no lookup happens
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("'" + cidr + "' is not a CIDR such as 127.0.0.0/8");
      }
      int prefix;
      try {
        prefix = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
      }
      if (prefix < 0 || prefix > network.length * 8) {
        throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
      }
      return new Range(network, prefix, description);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
      try {
        return InetAddress.getByAddress(network).getHostAddress().toLowerCase(Locale.ROOT)
            + "/"
            + prefix;
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
