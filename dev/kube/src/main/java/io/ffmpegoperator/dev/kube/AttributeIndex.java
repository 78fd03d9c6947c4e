package io.ffmpegoperator.dev.kube;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeSetAccess;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mock store's keys by each attribute they carry (name, namespace, kind, each label). The mock
 * answers a request by comparing every attribute of every stored object with the request's, so a
 * read of one object, a write, or a list of a Job's pods by label each cost time in proportion to
 * all that is stored, and a task makes dozens of them. A key matches a request only if it carries
 * each attribute the request asks for, so the keys that carry the rarest one are the only ones
 * worth comparing.
 */
final class AttributeIndex {
  private static final String ANY_VALUE = "*";

  private final Map<Attribute, Set<AttributeSet>> keys = new ConcurrentHashMap<>();

  void add(AttributeSet key) {
    for (Attribute attribute : indexed(key)) {
      keys.computeIfAbsent(attribute, a -> ConcurrentHashMap.newKeySet()).add(key);
    }
  }

  void remove(AttributeSet key) {
    for (Attribute attribute : indexed(key)) {
      keys.computeIfPresent(
          attribute,
          (a, carrying) -> {
            carrying.remove(key);
            return carrying.isEmpty() ? null : carrying;
          });
    }
  }

  void clear() {
    keys.clear();
  }

  void addAll(Collection<AttributeSet> stored) {
    stored.forEach(this::add);
  }

  /**
   * The stored keys that match {@code query}, or empty when the query asks for no attribute that
   * can be looked up (then only comparing every key answers it).
   */
  Optional<List<AttributeSet>> matching(AttributeSet query) {
    return indexed(query).stream()
        .map(attribute -> keys.getOrDefault(attribute, Set.of()))
        .min(Comparator.comparingInt(Set::size))
        .map(fewest -> fewest.stream().filter(key -> key.matches(query)).toList());
  }

  /**
   * The attributes that a matching key must carry as they are: required ({@link
   * AttributeType#WITH}) and with one value, not the mock's wildcard (whose equality does not agree
   * with its hash).
   */
  private static List<Attribute> indexed(AttributeSet set) {
    return AttributeSetAccess.attributes(set).stream()
        .filter(attribute -> attribute.getType() == AttributeType.WITH)
        .filter(attribute -> attribute.getValues().size() == 1)
        .filter(attribute -> !ANY_VALUE.equals(String.valueOf(attribute.getValues().get(0))))
        .toList();
  }
}
