package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The fields one manager owns, as the API server records them in {@code managedFields} (FieldsV1):
 * a set of paths of object keys.
 *
 * <p>Every list is one atomic field, owned as a whole: that is what the API server does for CRD
 * lists without {@code x-kubernetes-list-type} (all of this project's), and a simplification for
 * the associative lists of built-in kinds (a Pod's containers). A path may be owned together with
 * paths below it (FieldsV1's {@code ".": {}}).
 */
final class FieldSet {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Comparator<List<String>> ORDER =
      (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
          int c = a.get(i).compareTo(b.get(i));
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(a.size(), b.size());
      };

  private final Set<List<String>> paths;

  private FieldSet(Collection<List<String>> paths) {
    this.paths = new LinkedHashSet<>(paths);
  }

  static FieldSet of(Collection<List<String>> paths) {
    return new FieldSet(paths);
  }

  static FieldSet empty() {
    return new FieldSet(List.of());
  }

  /**
   * The leaves of an object: scalars, nulls, lists and empty objects, each by its path of keys;
   * non-empty objects are walked into. Paths that {@code ignored} accepts are left out with all
   * below them.
   */
  static FieldSet leaves(JsonNode object, Predicate<List<String>> ignored) {
    Set<List<String>> found = new LinkedHashSet<>();
    collect(object, List.of(), ignored, found);
    return new FieldSet(found);
  }

  private static void collect(
      JsonNode node, List<String> at, Predicate<List<String>> ignored, Set<List<String>> found) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      List<String> path = append(at, field.getKey());
      if (ignored.test(path)) {
        continue;
      }
      JsonNode value = field.getValue();
      if (value.isObject() && !value.isEmpty()) {
        collect(value, path, ignored, found);
      } else {
        found.add(path);
      }
    }
  }

  /**
   * Reads FieldsV1. Keys other than {@code f:} and {@code .} ({@code k:}, {@code v:}, {@code i:},
   * written by a real cluster for list members) make their list one owned field.
   */
  static FieldSet parse(JsonNode fieldsV1) {
    Set<List<String>> found = new LinkedHashSet<>();
    parse(fieldsV1, List.of(), found);
    return new FieldSet(found);
  }

  private static void parse(JsonNode node, List<String> at, Set<List<String>> found) {
    if (node == null || !node.isObject() || node.isEmpty()) {
      if (!at.isEmpty()) {
        found.add(at);
      }
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      if (key.equals(".")) {
        if (!at.isEmpty()) {
          found.add(at);
        }
      } else if (key.startsWith("f:")) {
        parse(field.getValue(), append(at, key.substring(2)), found);
      } else if (!at.isEmpty()) {
        found.add(at);
      }
    }
  }

  /** FieldsV1: {@code {"f:spec":{"f:priority":{}}}}, keys sorted as the API server sorts them. */
  ObjectNode encode() {
    ObjectNode root = NODES.objectNode();
    List<List<String>> sorted = paths.stream().sorted(ORDER).toList();
    for (List<String> path : sorted) {
      ObjectNode node = root;
      for (String key : path) {
        JsonNode child = node.get("f:" + key);
        node = child instanceof ObjectNode o ? o : node.putObject("f:" + key);
      }
      if (hasBelow(path)) {
        node.putObject(".");
      }
    }
    return sortKeys(root);
  }

  private boolean hasBelow(List<String> path) {
    return paths.stream().anyMatch(p -> p.size() > path.size() && isPrefix(path, p));
  }

  private static ObjectNode sortKeys(ObjectNode node) {
    Map<String, JsonNode> sorted = new TreeMap<>();
    node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
    ObjectNode out = NODES.objectNode();
    sorted.forEach((k, v) -> out.set(k, v instanceof ObjectNode o ? sortKeys(o) : v));
    return out;
  }

  Set<List<String>> paths() {
    return paths;
  }

  boolean isEmpty() {
    return paths.isEmpty();
  }

  /** Whether a path of this set is {@code path}, above it or below it. */
  boolean overlaps(List<String> path) {
    return paths.stream().anyMatch(p -> isPrefix(p, path) || isPrefix(path, p));
  }

  /** This set without the paths that overlap {@code path}. */
  FieldSet withoutOverlapping(List<String> path) {
    return new FieldSet(
        paths.stream().filter(p -> !(isPrefix(p, path) || isPrefix(path, p))).toList());
  }

  FieldSet with(Collection<List<String>> more) {
    Set<List<String>> all = new LinkedHashSet<>(paths);
    all.addAll(more);
    return new FieldSet(all);
  }

  /** This set without the paths for which {@code gone} holds. */
  FieldSet without(Predicate<List<String>> gone) {
    return new FieldSet(paths.stream().filter(gone.negate()).toList());
  }

  static boolean isPrefix(List<String> prefix, List<String> path) {
    return prefix.size() <= path.size() && path.subList(0, prefix.size()).equals(prefix);
  }

  /** The value at a path; missing if any key on the way is absent. */
  static JsonNode valueAt(JsonNode object, List<String> path) {
    JsonNode node = object;
    for (String key : path) {
      if (node == null || !node.isObject()) {
        return MissingNode.getInstance();
      }
      node = node.get(key);
    }
    return node == null ? MissingNode.getInstance() : node;
  }

  /** How the API server prints a path in a conflict: {@code .spec.priority}. */
  static String describe(List<String> path) {
    return path.stream().map(k -> "." + k).reduce("", String::concat);
  }

  private static List<String> append(List<String> at, String key) {
    String[] keys = at.toArray(new String[at.size() + 1]);
    keys[at.size()] = key;
    return List.of(keys);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSet other && paths.equals(other.paths);
  }

  @Override
  public int hashCode() {
    return paths.hashCode();
  }

  @Override
  public String toString() {
    return paths.stream().map(FieldSet::describe).toList().toString();
  }
}
