package io.ffmpegoperator.dev.kube;

import io.fabric8.mockwebserver.http.MockResponse;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A client's write request while the CRUD store processes it: what it asked for (its query
 * parameters) and what its answer must carry besides the store's (warnings, the object as stored
 * when that differs from what the client sent). Writes of the server's own (restore, garbage
 * collection) have none, and are not checked.
 */
final class ClientWrite {

  private static final ThreadLocal<ClientWrite> CURRENT = new ThreadLocal<>();

  private final String method;
  private final Map<String, String> query;
  private final Set<String> warnings = new LinkedHashSet<>();
  private String stored;

  ClientWrite(String method, Map<String, String> query) {
    this.method = method;
    this.query = Map.copyOf(query);
  }

  /** The write this thread is processing for a client; null for the server's own writes. */
  static ClientWrite current() {
    return CURRENT.get();
  }

  /** Runs {@code write} as this client's write. */
  <T> T during(Supplier<T> write) {
    ClientWrite outer = CURRENT.get();
    CURRENT.set(this);
    try {
      return write.get();
    } finally {
      CURRENT.set(outer);
    }
  }

  String method() {
    return method;
  }

  /** {@code Strict}, {@code Warn} (the API server's default) or {@code Ignore}. */
  String fieldValidation() {
    return query.getOrDefault("fieldValidation", "Warn");
  }

  /** A warning for the answer's {@code Warning} header (each text once). */
  void warn(String text) {
    warnings.add(text);
  }

  /** The object as it was stored, when the store changed what the client sent (pruning). */
  void stored(String json) {
    this.stored = json;
  }

  /** {@code response} with the warnings and, on success, the object as stored. */
  MockResponse answer(MockResponse response) {
    boolean success = response.code() >= 200 && response.code() < 300;
    if (success && stored != null) {
      response.setBody(stored);
    }
    for (String warning : warnings) {
      // The API server's form: code 299, agent "-", the text quoted as Go's strconv.Quote does.
      response.addHeader("Warning", "299 - " + FieldError.quote(warning));
    }
    return response;
  }

  /** Thrown while a write is processed to store nothing and answer {@code response} instead. */
  static final class Refused extends RuntimeException {
    private final transient MockResponse response;

    Refused(MockResponse response) {
      super(null, null, false, false);
      this.response = response;
    }

    MockResponse response() {
      return response;
    }
  }
}
