package io.ffmpegoperator.bridge.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.ErrorResponse;
import io.ffmpegoperator.crds.FfmpegTask;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Paging through tasks newest first, with cursors that survive tasks being added. */
class TaskPageTest {
  @Test
  void newestFirstThenByNameAcrossPages() {
    List<FfmpegTask> tasks =
        List.of(
            task("b", "2026-12-01T10:00:00Z"),
            task("old", "2026-11-01T10:00:00Z"),
            task("a", "2026-12-01T10:00:00Z"),
            task("new", "2026-12-02T10:00:00Z"));

    TaskPage first = TaskPage.of(tasks, null, 2);
    TaskPage second = TaskPage.of(tasks, first.nextCursor(), 2);

    assertThat(names(first)).containsExactly("new", "a");
    assertThat(first.nextCursor()).isNotNull();
    assertThat(names(second)).containsExactly("b", "old");
    assertThat(second.nextCursor()).isNull();
    assertThat(names(TaskPage.of(tasks, null, 4))).hasSize(4);
    assertThat(TaskPage.of(tasks, null, 4).nextCursor()).isNull();
  }

  @Test
  void tasksAddedWhilePagingNeitherRepeatNorHideOthers() {
    List<FfmpegTask> tasks = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      tasks.add(task("t" + i, "2026-12-01T10:00:0" + i + "Z"));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int added = 0;
    do {
      TaskPage page = TaskPage.of(tasks, cursor, 3);
      seen.addAll(names(page));
      cursor = page.nextCursor();
      // Newer tasks, one sharing the newest second: they belong before every cursor given out.
      tasks.add(task("n" + added++, "2026-12-01T10:00:06Z"));
      tasks.add(task("z" + added++, "2026-12-02T00:00:00Z"));
    } while (cursor != null);

    assertThat(seen).containsExactly("t6", "t5", "t4", "t3", "t2", "t1", "t0");
  }

  @Test
  void aCursorThisApiDidNotGiveOutIs422() {
    String noSeparator =
        Base64.getUrlEncoder().encodeToString("nothing".getBytes(StandardCharsets.UTF_8));
    String badTime =
        Base64.getUrlEncoder().encodeToString("yesterday|t1".getBytes(StandardCharsets.UTF_8));
    for (String cursor : List.of("!!!", noSeparator, badTime, "")) {
      ApiException error =
          catchThrowableOfType(
              ApiException.class, () -> TaskPage.of(List.of(), cursor, TaskListResource.MAX_LIMIT));
      assertThat(error.status()).as(cursor).isEqualTo(422);
      assertThat(((ErrorResponse) error.body()).detail()).startsWith("cursor is not one");
    }
  }

  private static List<String> names(TaskPage page) {
    return page.tasks().stream().map(t -> t.getMetadata().getName()).toList();
  }

  private static FfmpegTask task(String name, String created) {
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(new ObjectMetaBuilder().withName(name).withCreationTimestamp(created).build());
    return task;
  }
}
