package io.ffmpegoperator.dev.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mock store's keys by object name. The mock finds an object by comparing every attribute of
 * every stored object with the request's, so each read or write by name costs time in proportion to
 * all that is stored, and a few tasks make many such requests. Narrowed to the keys with that name,
 * the same comparison looks at one or two.
 *
 * <p>Only names are indexed: every request for one object names it, and every key the mock stores
 * for a named object carries its name (as {@link KubernetesAttributesExtractor#NAME}).
 */
final class NameIndex {
  private final Map<String, Set<AttributeSet>> keys = new ConcurrentHashMap<>();

  void add(AttributeSet key) {
    name(key)
        .ifPresent(name -> keys.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(key));
  }

  void remove(AttributeSet key) {
    name(key)
        .ifPresent(
            name ->
                keys.computeIfPresent(
                    name,
                    (n, named) -> {
                      named.remove(key);
                      return named.isEmpty() ? null : named;
                    }));
  }

  void clear() {
    keys.clear();
  }

  void addAll(Collection<AttributeSet> stored) {
    stored.forEach(this::add);
  }

  /**
   * The stored keys that can match {@code query}, or empty when the query names no object (then
   * only looking at every key answers it).
   */
  Optional<List<AttributeSet>> candidates(AttributeSet query) {
    return name(query)
        .map(
            name ->
                keys.getOrDefault(name, Set.of()).stream()
                    .filter(key -> key.matches(query))
                    .toList());
  }

  private static Optional<String> name(AttributeSet set) {
    Attribute name = set.getAttribute(KubernetesAttributesExtractor.NAME);
    return name == null || name.getType() != AttributeType.WITH || name.getValues().size() != 1
        ? Optional.empty()
        : Optional.ofNullable(name.getValues().get(0).toString());
  }
}
