package io.ffmpegoperator.dev.kube;

import java.util.Map;
import java.util.Set;

/** Query parameters read the way the API server reads them. */
final class QueryParams {

  // Go's strconv.ParseBool, which the API server decodes boolean parameters with: Python's client
  // sends watch=True, client-go watch=true.
  private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");

  private QueryParams() {}

  /** Whether a boolean parameter's value is true; null (absent) and anything else are false. */
  static boolean isTrue(String value) {
    return value != null && TRUE.contains(value);
  }

  /** The decoded parameters of a request URI or path (the last one wins when repeated). */
  static Map<String, String> of(String uriOrPath) {
    return ApiServerDispatcher.query(uriOrPath);
  }
}
