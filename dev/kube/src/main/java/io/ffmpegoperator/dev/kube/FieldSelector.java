package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A field selector ({@code involvedObject.name=x,type!=Normal}) matched against any dotted field of
 * an object; the mock itself only knows metadata.name and metadata.namespace.
 */
record FieldSelector(List<Requirement> requirements) {

  /** One {@code field=value}, {@code field==value} or {@code field!=value}. */
  record Requirement(String field, String value, boolean equal) {}

  static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  /** Parses the decoded selector; null or blank selects everything. */
  static FieldSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String part : selector.split(",")) {
      int not = part.indexOf("!=");
      if (not >= 0) {
        requirements.add(
            new Requirement(part.substring(0, not).trim(), part.substring(not + 2).trim(), false));
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("invalid field selector requirement: " + part);
      }
      String value = part.substring(eq + 1);
      if (value.startsWith("=")) {
        value = value.substring(1);
      }
      requirements.add(new Requirement(part.substring(0, eq).trim(), value.trim(), true));
    }
    return new FieldSelector(List.copyOf(requirements));
  }

  boolean matches(JsonNode object) {
    for (Requirement requirement : requirements) {
      JsonNode node = object;
      for (String step : requirement.field().split("\\.")) {
        node = node.path(step);
      }
      // As in the API server, a missing field compares as the empty string.
      String actual = node.isValueNode() ? node.asText() : "";
      if (actual.equals(requirement.value()) != requirement.equal()) {
        return false;
      }
    }
    return true;
  }
}
