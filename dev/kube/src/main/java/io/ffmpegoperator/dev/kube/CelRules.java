package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CRD's {@code x-kubernetes-validations} rules, evaluated with Google's CEL for Java where the
 * schema declares them: {@code self} is the value there and, on an update, {@code oldSelf} the
 * stored one. The standard macros and the strings, lists, sets, math and optional libraries are
 * there; the Kubernetes-only functions ({@code quantity()}, {@code isURL()}, ...) are not, and a
 * rule that uses them is skipped with a warning, as is any rule that does not compile (the API
 * server would have refused its CRD).
 */
final class CelRules {

  private static final Logger LOG = LoggerFactory.getLogger(CelRules.class);
  private static final CelOptions OPTIONS = CelOptions.current().build();
  private static final Cel RULES = cel(SimpleType.BOOL);
  private static final Cel MESSAGES = cel(SimpleType.STRING);
  private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");

  // Programs by expression; empty for one that does not compile. Shared by every CRD: rules
  // repeat (ours twice) and compiling is the expensive part.
  private static final Map<String, Optional<CelRuntime.Program>> RULE_PROGRAMS =
      new ConcurrentHashMap<>();
  private static final Map<String, Optional<CelRuntime.Program>> MESSAGE_PROGRAMS =
      new ConcurrentHashMap<>();

  private final JsonNode schema;

  /**
   * @param schema the CRD version's openAPIV3Schema
   */
  CelRules(JsonNode schema) {
    this.schema = schema;
  }

  /** Whether the schema declares any rule at all. */
  static boolean declared(JsonNode schema) {
    return !schema.findValues("x-kubernetes-validations").isEmpty();
  }

  /**
   * The rules {@code object} breaks. A value equal to the stored one is not checked again (the API
   * server's validation ratcheting), except by a rule that compares it with {@code oldSelf}.
   *
   * @param old the stored object, null on create
   */
  List<FieldError> check(JsonNode object, JsonNode old) {
    List<FieldError> errors = new ArrayList<>();
    walk(object, old, schema, "", JsonPointer.empty(), errors);
    return errors;
  }

  private void walk(
      JsonNode value,
      JsonNode old,
      JsonNode schema,
      String path,
      JsonPointer pointer,
      List<FieldError> errors) {
    if (value == null || value.isMissingNode() || value.isNull() || !schema.isObject()) {
      return;
    }
    boolean unchanged = old != null && old.equals(value);
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      String expression = rule.path("rule").asText();
      boolean transition = OLD_SELF.matcher(expression).find();
      if ((transition && old == null) || (unchanged && !transition)) {
        continue;
      }
      evaluate(rule, expression, value, old, schema, path, pointer).ifPresent(errors::add);
    }
    if (value.isObject()) {
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      value
          .properties()
          .forEach(
              field -> {
                String name = field.getKey();
                JsonNode childOld = old == null ? null : old.get(name);
                JsonPointer at = pointer.appendProperty(name);
                if (properties.has(name)) {
                  String child = path.isEmpty() ? name : path + "." + name;
                  walk(field.getValue(), childOld, properties.get(name), child, at, errors);
                } else if (additional.isObject()) {
                  walk(field.getValue(), childOld, additional, path + "[" + name + "]", at, errors);
                }
              });
    } else if (value.isArray() && schema.path("items").isObject()) {
      // Items of a list are not matched with the stored ones: no oldSelf, nothing ratcheted.
      for (int i = 0; i < value.size(); i++) {
        walk(
            value.get(i),
            null,
            schema.get("items"),
            path + "[" + i + "]",
            pointer.appendIndex(i),
            errors);
      }
    }
  }

  private Optional<FieldError> evaluate(
      JsonNode rule,
      String expression,
      JsonNode value,
      JsonNode old,
      JsonNode schema,
      String path,
      JsonPointer pointer) {
    Optional<CelRuntime.Program> program =
        RULE_PROGRAMS.computeIfAbsent(expression, e -> compile(RULES, e));
    if (program.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> variables = new HashMap<>();
    variables.put("self", java(value));
    if (old != null) {
      variables.put("oldSelf", java(old));
    }
    String field = withFieldPath(path, rule.path("fieldPath").asText(""));
    JsonNode type = FieldError.text(schema.path("type").asText(""));
    try {
      if (Boolean.TRUE.equals(program.get().eval(variables))) {
        return Optional.empty();
      }
    } catch (CelEvaluationException e) {
      String at = path.isEmpty() ? FieldError.ROOT : path;
      return Optional.of(new FieldError(FieldError.INVALID, at, type, e.getMessage(), pointer));
    }
    String message = message(rule, expression, variables);
    String reason = rule.path("reason").asText(FieldError.INVALID);
    return Optional.of(
        switch (reason) {
          case FieldError.REQUIRED, FieldError.FORBIDDEN ->
              new FieldError(reason, field, null, message, pointer);
          case FieldError.DUPLICATE -> new FieldError(reason, field, type, message, pointer);
          default -> new FieldError(FieldError.INVALID, field, type, message, pointer);
        });
  }

  /** The rule's messageExpression if it gives a non-blank text, else its message, else the rule. */
  private static String message(JsonNode rule, String expression, Map<String, Object> variables) {
    String messageExpression = rule.path("messageExpression").asText("");
    if (!messageExpression.isEmpty()) {
      Optional<CelRuntime.Program> program =
          MESSAGE_PROGRAMS.computeIfAbsent(messageExpression, e -> compile(MESSAGES, e));
      if (program.isPresent()) {
        try {
          Object text = program.get().eval(variables);
          if (text instanceof String s && !s.isBlank()) {
            return s;
          }
        } catch (CelEvaluationException e) {
          LOG.warn("messageExpression {} failed: {}", messageExpression, e.getMessage());
        }
      }
    }
    String message = rule.path("message").asText("");
    return message.isEmpty() ? "failed rule: " + expression.strip() : message;
  }

  /**
   * A rule's {@code fieldPath} ({@code .limits}, {@code .limits['cpu']}, {@code .items[0]}) added
   * to the path of the value it is declared on.
   */
  static String withFieldPath(String path, String fieldPath) {
    StringBuilder out = new StringBuilder(path);
    int i = 0;
    while (i < fieldPath.length()) {
      char c = fieldPath.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < fieldPath.length()
            && fieldPath.charAt(end) != '.'
            && fieldPath.charAt(end) != '[') {
          end++;
        }
        out.append(out.length() == 0 ? "" : ".").append(fieldPath, i + 1, end);
        i = end;
      } else if (c == '[') {
        int end = fieldPath.indexOf(']', i);
        end = end < 0 ? fieldPath.length() : end;
        String key = fieldPath.substring(i + 1, end);
        if (key.length() >= 2 && (key.startsWith("'") || key.startsWith("\""))) {
          key = key.substring(1, key.length() - 1);
        }
        out.append('[').append(key).append(']');
        i = end + 1;
      } else {
        i++;
      }
    }
    return out.length() == 0 ? FieldError.ROOT : out.toString();
  }

  private static Optional<CelRuntime.Program> compile(Cel cel, String expression) {
    try {
      return Optional.of(cel.createProgram(cel.compile(expression).getAst()));
    } catch (CelValidationException | CelEvaluationException | RuntimeException e) {
      LOG.warn(
          "CEL expression not checked, it does not compile here: {}: {}",
          expression,
          e.getMessage());
      return Optional.empty();
    }
  }

  /** JSON as CEL sees it: maps, lists, int64 (Long), double, string, bool, null. */
  static Object java(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(f -> map.put(f.getKey(), java(f.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(item -> list.add(java(item)));
      return list;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNull()) {
      return NullValue.NULL_VALUE;
    }
    return node.asText();
  }

  private static Cel cel(CelType result) {
    return CelFactory.standardCelBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addCompilerLibraries(
            CelExtensions.strings(),
            CelExtensions.lists(),
            CelExtensions.sets(OPTIONS),
            CelExtensions.math(OPTIONS),
            CelExtensions.optional())
        .addRuntimeLibraries(
            CelExtensions.strings(),
            CelExtensions.lists(),
            CelExtensions.sets(OPTIONS),
            CelExtensions.math(OPTIONS),
            CelExtensions.optional())
        .addVar("self", SimpleType.DYN)
        .addVar("oldSelf", SimpleType.DYN)
        .setResultType(result)
        .build();
  }
}
