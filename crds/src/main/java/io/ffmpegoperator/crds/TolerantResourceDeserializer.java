package io.ffmpegoperator.crds;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.util.ClassUtil;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Decodes a {@link TolerantResource}: metadata as usual, then its spec and its status each on its
 * own, so that a part which does not fit the model becomes null and a recorded problem instead of
 * an exception. It never asks Jackson for a deserializer of the resource class itself, so it cannot
 * call itself. Works wherever the class is decoded: a get, a list, a watch event, a clone.
 */
final class TolerantResourceDeserializer extends StdDeserializer<TolerantResource<?, ?>>
    implements ContextualDeserializer {
  private final JavaType resourceType;
  private final JavaType specType;
  private final JavaType statusType;

  TolerantResourceDeserializer() {
    this(null, null, null);
  }

  private TolerantResourceDeserializer(JavaType resource, JavaType spec, JavaType status) {
    super(TolerantResource.class);
    this.resourceType = resource;
    this.specType = spec;
    this.statusType = status;
  }

  /** Learns the concrete class, and its spec and status types, from where it is decoded. */
  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
    JavaType type = ctxt.getContextualType();
    JavaType base = type == null ? null : type.findSuperType(TolerantResource.class);
    if (base == null) {
      throw new IllegalStateException("not a TolerantResource: " + type);
    }
    return new TolerantResourceDeserializer(type, base.containedType(0), base.containedType(1));
  }

  @Override
  public TolerantResource<?, ?> deserialize(JsonParser parser, DeserializationContext ctxt)
      throws IOException {
    JsonNode node = ctxt.readTree(parser);
    if (!node.isObject()) {
      return (TolerantResource<?, ?>)
          ctxt.reportInputMismatch(this, "expected an object, got %s", node.getNodeType());
    }
    @SuppressWarnings("unchecked")
    TolerantResource<Object, Object> resource =
        (TolerantResource<Object, Object>)
            ClassUtil.createInstance(resourceType.getRawClass(), ctxt.canOverrideAccessModifiers());
    // apiVersion and kind follow from the class; the API server itself checks metadata.
    resource.setMetadata(ctxt.readTreeAsValue(node.get("metadata"), ObjectMeta.class));
    List<String> problems = new ArrayList<>();
    resource.setSpec(part(ctxt, node, "spec", specType, problems));
    resource.setStatus(part(ctxt, node, "status", statusType, problems));
    if (!problems.isEmpty()) {
      resource.markUndecodable(String.join("; ", problems));
    }
    return resource;
  }

  private static Object part(
      DeserializationContext ctxt,
      JsonNode resource,
      String name,
      JavaType type,
      List<String> problems)
      throws IOException {
    JsonNode node = resource.get(name);
    try {
      return ctxt.readTreeAsValue(node, type);
    } catch (InvalidDefinitionException e) {
      throw e; // a fault of the model classes, not of the stored data
    } catch (JsonMappingException e) {
      problems.add(describe(name, node, e));
      return null;
    }
  }

  /** {@code spec.inputs: expected an object, got a string}, or Jackson's words when rarer. */
  private static String describe(String part, JsonNode node, JsonMappingException e) {
    StringBuilder path = new StringBuilder(part);
    JsonNode at = node;
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append('.').append(ref.getFieldName());
        at = at == null ? null : at.get(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
        at = at == null ? null : at.get(ref.getIndex());
      }
    }
    String what;
    if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null) {
      Object value = invalid.getValue();
      what =
          "expected "
              + expected(invalid.getTargetType())
              + ", got "
              + (value instanceof String ? "\"" + value + "\"" : String.valueOf(value));
    } else if (e instanceof MismatchedInputException mismatch
        && mismatch.getTargetType() != null
        && at != null) {
      what = "expected " + expected(mismatch.getTargetType()) + ", got " + kindOf(at);
    } else {
      what = e.getOriginalMessage();
    }
    return path + ": " + what;
  }

  private static String expected(Class<?> type) {
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")
        ? "an object"
        : type.getSimpleName();
  }

  private static String kindOf(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT, POJO -> "an object";
      case ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> "null";
    };
  }
}
