package io.ffmpegoperator.bridge.store;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ffmpegoperator.bridge.http.ApiException;
import java.io.IOException;

/** How a failed Kubernetes API call is answered: 503 when retrying may help, else 500. */
final class KubernetesErrors {
  private KubernetesErrors() {}

  // No answer, an overloaded or failing API server: worth retrying. Anything else is our bug.
  static ApiException unavailable(KubernetesClientException e, String what) {
    int code = e.getCode();
    if (code <= 0 || code == 429 || code >= 500 || e.getCause() instanceof IOException) {
      return ApiException.detail(
          503, what + ": the Kubernetes API is unavailable, try again later");
    }
    return ApiException.detail(500, what + ": the Kubernetes API refused it");
  }
}
