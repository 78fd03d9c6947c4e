package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.ffmpegoperator.dev.kube.ManagedFields.Entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Records every write that is not a server-side apply (create, update, merge or JSON patch) in
 * {@code managedFields} as the writer's Update entry, so that an apply later reports conflicts with
 * it as the API server would: the fields the write set or changed become the writer's, and no other
 * manager's any more.
 */
final class ManagedFieldsTracker {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MANAGER_LENGTH = 128;

  // The store sees writes without their query string (see ApiServerDispatcher.write): the
  // fieldManager parameter travels to it in this header instead.
  private static final String FIELD_MANAGER_HEADER = "X-Embedded-Field-Manager";

  private final Clock clock;

  ManagedFieldsTracker(Clock clock) {
    this.clock = clock;
  }

  /** The headers with the request's {@code fieldManager} parameter, for the store to read. */
  static Headers withFieldManager(Headers headers, String rawPath) {
    String manager = ApiServerDispatcher.query(rawPath).get("fieldManager");
    return manager == null || manager.isEmpty()
        ? headers
        : headers.newBuilder().set(FIELD_MANAGER_HEADER, manager).build();
  }

  /** Who writes, and to what: the manager of the Update entry. */
  record Writer(String manager, String apiVersion, String subresource, boolean statusApart) {

    /**
     * The writer of a request: {@code fieldManager}, else the User-Agent up to its first '/', as
     * the API server names it; empty when neither says anything.
     */
    static Optional<Writer> of(RecordedRequest request, ResourcePath path, boolean statusApart) {
      String manager = ApiServerDispatcher.query(request.getPath()).get("fieldManager");
      if (manager == null || manager.isEmpty()) {
        manager = request.getHeader(FIELD_MANAGER_HEADER);
      }
      if (manager == null || manager.isEmpty()) {
        String agent = request.getHeader("User-Agent");
        manager = agent == null ? "" : agent.split("/", 2)[0];
      }
      if (manager.isBlank()) {
        return Optional.empty();
      }
      if (manager.length() > MAX_MANAGER_LENGTH) {
        manager = manager.substring(0, MAX_MANAGER_LENGTH);
      }
      return Optional.of(new Writer(manager, path.groupVersion(), path.subresource(), statusApart));
    }
  }

  /**
   * {@code after} with its managedFields brought up to date for this write.
   *
   * @param before the stored JSON, null on create
   * @param after the JSON about to be stored
   * @return {@code after} itself when the write changed no field
   */
  String track(Writer writer, String before, String after) {
    try {
      ObjectNode next = (ObjectNode) JSON.readTree(after);
      JsonNode previous = before == null ? null : JSON.readTree(before);
      Predicate<List<String>> ignored =
          ManagedFields.notOwnable(writer.subresource(), writer.statusApart());
      FieldSet now = FieldSet.leaves(next, ignored);
      List<List<String>> changed =
          now.paths().stream()
              .filter(
                  p ->
                      previous == null
                          || !FieldSet.valueAt(previous, p).equals(FieldSet.valueAt(next, p)))
              .toList();
      // A PUT without managedFields keeps the stored ones, as on the API server.
      List<Entry> entries =
          ManagedFields.read(
              next.path("metadata").has("managedFields") || previous == null ? next : previous);
      boolean removed =
          entries.stream().anyMatch(e -> e.fields().paths().stream().anyMatch(p -> gone(next, p)));
      if (changed.isEmpty() && !removed && next.path("metadata").has("managedFields")) {
        return after;
      }
      Entry mine =
          new Entry(
              writer.manager(),
              ManagedFields.UPDATE,
              writer.apiVersion(),
              ManagedFields.now(clock),
              writer.subresource(),
              FieldSet.empty());
      List<Entry> updated = new ArrayList<>();
      int position = -1;
      for (Entry entry : entries) {
        FieldSet fields = entry.fields().without(p -> gone(next, p));
        if (entry.sameManager(mine)) {
          mine = entry.withFields(fields);
          position = updated.size();
          continue;
        }
        for (List<String> path : changed) {
          fields = fields.withoutOverlapping(path);
        }
        updated.add(entry.withFields(fields));
      }
      if (!changed.isEmpty()) {
        mine =
            new Entry(
                mine.manager(),
                mine.operation(),
                writer.apiVersion(),
                ManagedFields.now(clock),
                mine.subresource(),
                mine.fields().with(changed));
      }
      updated.add(position < 0 ? updated.size() : position, mine);
      ManagedFields.write(next, updated);
      return JSON.writeValueAsString(next);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean gone(JsonNode object, List<String> path) {
    return FieldSet.valueAt(object, path).isMissingNode();
  }
}
