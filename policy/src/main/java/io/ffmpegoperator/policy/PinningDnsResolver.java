package io.ffmpegoperator.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Apache HttpClient's name lookup through an {@link AddressPolicy}: a refused address fails the
 * lookup, and the client connects to exactly the addresses returned, so a name cannot resolve to an
 * allowed address for the check and to another one for the connect. The worker fetching inputs and
 * the operator calling webhooks both connect through it (each adds httpclient5 itself: this
 * module's dependency on it is optional, so the bridge does not carry it).
 */
public final class PinningDnsResolver implements DnsResolver {
  private final AddressPolicy addresses;
  private final String trustedHost;

  /**
   * @param trustedHost a host resolved without the policy (the platform's own storage, often at a
   *     private address), bare or in brackets; null for none
   */
  public PinningDnsResolver(AddressPolicy addresses, String trustedHost) {
    this.addresses = addresses;
    this.trustedHost = trustedHost == null ? null : bare(trustedHost);
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    if (trustedHost != null && trustedHost.equalsIgnoreCase(bare(host))) {
      return InetAddress.getAllByName(trustedHost);
    }
    return addresses.resolve(host).toArray(new InetAddress[0]);
  }

  @Override
  public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
    // Spelled out so no default can ever hand back an unresolved (later looked up) address.
    return Arrays.stream(resolve(host))
        .map(address -> new InetSocketAddress(address, port))
        .toList();
  }

  @Override
  public String resolveCanonicalHostname(String host) {
    return host; // only for Kerberos, which neither inputs nor webhooks use; no lookup needed
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
