package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BinaryOperator;

/**
 * The managedFields of the write one request makes: brought up to date for its writer (an Update),
 * or set as a server-side apply computed them. The store calls {@link #stored} with each state it
 * is about to keep, and answers with what was really kept.
 */
final class FieldWrite {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BinaryOperator<String> rewrite;
  private String rewritten;

  private FieldWrite(BinaryOperator<String> rewrite) {
    this.rewrite = rewrite;
  }

  /** A write that is not an apply, by this writer. */
  static FieldWrite tracked(ManagedFieldsTracker tracker, ManagedFieldsTracker.Writer writer) {
    return new FieldWrite((before, after) -> tracker.track(writer, before, after));
  }

  /** A server-side apply's write, stored with these managedFields (null: none). */
  static FieldWrite applied(JsonNode managedFields) {
    return new FieldWrite(
        (before, after) -> {
          try {
            ObjectNode object = (ObjectNode) JSON.readTree(after);
            ObjectNode metadata = (ObjectNode) object.get("metadata");
            if (managedFields == null) {
              metadata.remove("managedFields");
            } else {
              metadata.set("managedFields", managedFields);
            }
            return JSON.writeValueAsString(object);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** The state to store instead of {@code after}; {@code before} is null on create. */
  String stored(String before, String after) {
    String state = rewrite.apply(before, after);
    rewritten = state.equals(after) ? null : state;
    return state;
  }

  /** The state last stored if it differs from what the store made, else null. */
  String rewritten() {
    return rewritten;
  }
}
