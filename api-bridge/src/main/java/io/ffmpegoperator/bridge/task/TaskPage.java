package io.ffmpegoperator.bridge.task;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.crds.FfmpegTask;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * One page of a task list: newest first, by creation time and then by name, so the order is total
 * and the same on every replica. The cursor names the last task shown (its creation time and name),
 * not a position, so tasks created while a client pages come before its cursor and never shift a
 * task onto two pages or off all of them.
 *
 * @param tasks the tasks of this page, in order
 * @param nextCursor where the next page starts; null on the last page
 */
record TaskPage(List<FfmpegTask> tasks, String nextCursor) {
  /** A task's place in the order: what a cursor holds. */
  private record Position(Instant created, String name) {}

  private static final Comparator<Position> NEWEST_FIRST =
      Comparator.comparing(Position::created)
          .reversed()
          .thenComparing(Position::name, Comparator.naturalOrder());
  private static final char SEPARATOR = '|';

  /**
   * The page of {@code tasks} after {@code cursor}.
   *
   * @param tasks every task to page through, in any order
   * @param cursor a {@link #nextCursor()} given out before, or null for the first page
   * @throws ApiException 422 when the cursor is not one this class made
   */
  static TaskPage of(List<FfmpegTask> tasks, String cursor, int limit) {
    Position after = cursor == null ? null : decode(cursor);
    List<FfmpegTask> following =
        tasks.stream()
            .filter(task -> after == null || NEWEST_FIRST.compare(position(task), after) > 0)
            .sorted(Comparator.comparing(TaskPage::position, NEWEST_FIRST))
            .toList();
    if (following.size() <= limit) {
      return new TaskPage(following, null);
    }
    List<FfmpegTask> page = following.subList(0, limit);
    return new TaskPage(page, encode(position(page.get(limit - 1))));
  }

  private static Position position(FfmpegTask task) {
    String created = task.getMetadata().getCreationTimestamp();
    Instant time;
    try {
      time = created == null ? Instant.EPOCH : Instant.parse(created);
    } catch (DateTimeParseException e) {
      // The API server always writes RFC 3339; anything else sorts as oldest, still stably.
      time = Instant.EPOCH;
    }
    return new Position(time, task.getMetadata().getName());
  }

  private static String encode(Position position) {
    String text = position.created().toString() + SEPARATOR + position.name();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Position decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int separator = text.indexOf(SEPARATOR);
      if (separator > 0 && separator < text.length() - 1) {
        return new Position(
            Instant.parse(text.substring(0, separator)), text.substring(separator + 1));
      }
    } catch (IllegalArgumentException | DateTimeParseException e) {
      // Falls through to the same answer as a cursor that decodes to the wrong shape.
    }
    throw ApiException.detail(
        422, "cursor is not one this API gave out; list from the start without it");
  }
}
