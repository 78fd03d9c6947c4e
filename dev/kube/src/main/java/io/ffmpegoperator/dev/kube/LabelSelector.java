package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label selector in the API server's grammar: {@code k=v}, {@code k==v}, {@code k!=v}, {@code k
 * in (a,b)}, {@code k notin (a,b)}, {@code k} and {@code !k}, joined by commas. The mock's own
 * parser splits {@code in (a,b)} at its comma, so watches select with this one.
 */
record LabelSelector(List<Requirement> requirements) {

  enum Operator {
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST
  }

  /** One requirement; {@code =} is IN of one value and {@code !=} NOT_IN of one. */
  record Requirement(String key, Operator operator, Set<String> values) {

    boolean matches(JsonNode labels) {
      JsonNode value = labels.get(key);
      boolean present = value != null && value.isValueNode();
      return switch (operator) {
        case EXISTS -> present;
        case DOES_NOT_EXIST -> !present;
        case IN -> present && values.contains(value.asText());
        // As in the API server: an object without the label is "not in" any set.
        case NOT_IN -> !present || !values.contains(value.asText());
      };
    }
  }

  static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  // Label keys: an optional DNS-subdomain prefix and a name; values: the name alphabet or empty.
  private static final Pattern KEY = Pattern.compile("([a-z0-9.-]+/)?[A-Za-z0-9]([A-Za-z0-9_.-]*)");
  private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9_.-]*))?");
  private static final Pattern SET =
      Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$", Pattern.DOTALL);

  /**
   * Parses the decoded selector; null or blank selects everything.
   *
   * @throws IllegalArgumentException worded as the API server's 400 for a selector it cannot parse
   */
  static LabelSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String part : splitOutsideParentheses(selector)) {
      requirements.add(requirement(part.trim()));
    }
    return new LabelSelector(List.copyOf(requirements));
  }

  /** Whether an object's {@code metadata.labels} satisfy every requirement. */
  boolean matches(JsonNode object) {
    JsonNode labels = object.path("metadata").path("labels");
    for (Requirement requirement : requirements) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  private static Requirement requirement(String part) {
    Matcher set = SET.matcher(part);
    if (set.matches()) {
      Set<String> values = new LinkedHashSet<>();
      for (String value : set.group(3).split(",", -1)) {
        values.add(value(value.trim(), part));
      }
      return new Requirement(
          key(set.group(1), part),
          set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN,
          Set.copyOf(values));
    }
    int not = part.indexOf("!=");
    if (not > 0) {
      return new Requirement(
          key(part.substring(0, not).trim(), part),
          Operator.NOT_IN,
          Set.of(value(part.substring(not + 2).trim(), part)));
    }
    int eq = part.indexOf('=');
    if (eq > 0) {
      String value = part.substring(eq + 1);
      if (value.startsWith("=")) {
        value = value.substring(1);
      }
      return new Requirement(
          key(part.substring(0, eq).trim(), part), Operator.IN, Set.of(value(value.trim(), part)));
    }
    if (part.startsWith("!")) {
      return new Requirement(
          key(part.substring(1).trim(), part), Operator.DOES_NOT_EXIST, Set.of());
    }
    return new Requirement(key(part, part), Operator.EXISTS, Set.of());
  }

  private static String key(String key, String part) {
    if (!KEY.matcher(key).matches()) {
      throw unparsable(part);
    }
    return key;
  }

  private static String value(String value, String part) {
    if (!VALUE.matcher(value).matches()) {
      throw unparsable(part);
    }
    return value;
  }

  private static IllegalArgumentException unparsable(String part) {
    return new IllegalArgumentException("unable to parse requirement: " + part);
  }

  private static List<String> splitOutsideParentheses(String selector) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(selector.substring(start));
    if (depth != 0) {
      throw unparsable(selector);
    }
    return parts;
  }
}
