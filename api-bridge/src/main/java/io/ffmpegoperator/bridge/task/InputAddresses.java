package io.ffmpegoperator.bridge.task;

import io.ffmpegoperator.policy.AddressPolicy;
import io.ffmpegoperator.policy.WebhookUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks at register time that a task's http(s) inputs and its webhook URL resolve only to
 * addresses the policy allows, so a task that would be refused when its inputs are fetched is
 * refused now, with a reason. Only names are resolved: the bridge never connects to an input. s3://
 * inputs are not resolved; {@link io.ffmpegoperator.crds.TaskCommand} already holds them to the
 * platform's bucket.
 */
final class InputAddresses {
  private InputAddresses() {}

  /**
   * One sentence per input whose host is refused or does not resolve, e.g. {@code input 'in_1':
   * 169.254.169.254 resolves to a link-local address ...}; empty when all may be fetched.
   *
   * @param inputs input name to URL, already checked by TaskCommand
   */
  static List<String> problems(Map<String, String> inputs, AddressPolicy policy) {
    List<String> problems = new ArrayList<>();
    inputs.forEach(
        (name, url) -> {
          String host = httpHost(url);
          if (host == null) {
            return;
          }
          try {
            policy.resolve(host);
          } catch (AddressPolicy.ForbiddenAddressException e) {
            problems.add("input '" + name + "': " + e.getMessage());
          } catch (UnknownHostException e) {
            problems.add("input '" + name + "': host " + host + " does not resolve");
          }
        });
    return problems;
  }

  /**
   * Why a task's webhook URL may not be called, naming {@code webhook_url}, or null when it may:
   * its form first, then where its host resolves to.
   */
  static String webhookProblem(String url, AddressPolicy policy) {
    String problem = WebhookUrl.problem(url);
    if (problem != null) {
      return problem;
    }
    String host = WebhookUrl.host(url);
    try {
      policy.resolve(host);
      return null;
    } catch (AddressPolicy.ForbiddenAddressException e) {
      return WebhookUrl.FIELD
          + ": "
          + host
          + " resolves to "
          + policy.refusal(e.address())
          + ", which webhooks may not reach";
    } catch (UnknownHostException e) {
      return WebhookUrl.FIELD + ": host " + host + " does not resolve";
    }
  }

  /** The host of an http or https URL; null for other schemes or URLs without one. */
  private static String httpHost(String url) {
    if (url == null) {
      return null;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return scheme.equals("http") || scheme.equals("https") ? uri.getHost() : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
