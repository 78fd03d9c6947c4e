package io.ffmpegoperator.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * What a task's webhook URL must look like: an absolute http or https URL with a host and no user
 * info. User info is refused because the URL is stored in the resource, where anyone who may read
 * tasks would read the credentials too. Where the host resolves to is the {@link AddressPolicy}'s
 * question, asked at register and again, pinned, at delivery.
 */
public final class WebhookUrl {
  /** The field's name in the register body; every problem names it. */
  public static final String FIELD = "webhook_url";

  private WebhookUrl() {}

  /** Why {@code url} may not be a webhook URL, naming {@value #FIELD}; null when it may. */
  public static String problem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      return FIELD + " is not a valid URL";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return FIELD + " must be an http or https URL";
    }
    // Checked before the host: java.net.URI reads "http://user:pass@host" as authority-only when
    // the user info has characters a server-based authority may not hold, leaving no host.
    String authority = uri.getRawAuthority();
    if (uri.getRawUserInfo() != null || (authority != null && authority.contains("@"))) {
      return FIELD + " may not carry user info (user:password@): it would be stored in the task";
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return FIELD + " has no host";
    }
    return null;
  }

  /** The host of a URL {@link #problem} found nothing wrong with. */
  public static String host(String url) {
    return URI.create(url).getHost();
  }
}
