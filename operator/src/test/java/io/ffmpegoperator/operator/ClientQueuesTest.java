package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.TaskParallel;
import io.ffmpegoperator.crds.TaskPriority;
import io.ffmpegoperator.crds.TaskState;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientQueuesTest {
  private final List<FfmpegTask> cache = new ArrayList<>();
  private final List<String> woken = new ArrayList<>();
  private final ClientQueues queues = new ClientQueues(Map.of("alice", 2));

  ClientQueuesTest() {
    queues.connect(
        client -> cache.stream().filter(t -> ClientQueues.clientOf(t).equals(client)).toList(),
        (ResourceID id) -> woken.add(id.getName()));
  }

  private FfmpegTask task(String name, String client, TaskPriority priority, int second) {
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("default")
            .withUid("uid-" + name)
            .withCreationTimestamp(String.format("2026-12-06T10:00:%02dZ", second))
            .withLabels(client == null ? Map.of() : Map.of(CrdConstants.LABEL_CLIENT, client))
            .build());
    FfmpegTaskSpec spec = new FfmpegTaskSpec("-i in_1 out_1", Map.of(), Map.of("out_1", "o.mp4"));
    spec.setPriority(priority);
    task.setSpec(spec);
    cache.add(task);
    return task;
  }

  private static void running(FfmpegTask task) {
    FfmpegTaskStatus status = new FfmpegTaskStatus();
    status.setState(TaskState.Running);
    status.setJobName("ffmpeg-" + task.getMetadata().getName());
    task.setStatus(status);
  }

  private static void finished(FfmpegTask task) {
    task.getStatus().setState(TaskState.Completed);
  }

  @Test
  void aParallelTaskTakesNoSlotItsChildrenDo() {
    // Submitted first and never given a Job: were it waiting, it would hold up its own children.
    FfmpegTask parent = task("parent", "alice", null, 0);
    parent.getSpec().setParallel(TaskParallel.ofSegments(2));
    parent.setStatus(new FfmpegTaskStatus());
    parent.getStatus().setState(TaskState.Running);

    FfmpegTask first = task("parent-seg-0", "alice", null, 1);
    FfmpegTask second = task("parent-seg-1", "alice", null, 2);
    FfmpegTask audio = task("parent-audio", "alice", null, 3);

    assertThat(queues.waitReason(first)).isEmpty();
    assertThat(queues.waitReason(second)).isEmpty();
    assertThat(queues.waitReason(audio))
        .hasValueSatisfying(r -> assertThat(r).contains("all are taken"));
  }

  @Test
  void aClientWithoutALimitAndATaskOfNoClientStartAtOnce() {
    for (int i = 0; i < 5; i++) {
      assertThat(queues.waitReason(task("bob-" + i, "bob", null, i))).isEmpty();
      assertThat(queues.waitReason(task("kubectl-" + i, null, null, i))).isEmpty();
    }
  }

  @Test
  void overItsLimitAClientsTasksWaitAndStartByPriorityThenSubmitTime() {
    FfmpegTask first = task("first", "alice", null, 0);
    FfmpegTask second = task("second", "alice", TaskPriority.Low, 1);
    assertThat(queues.waitReason(first)).isEmpty();
    assertThat(queues.waitReason(second)).isEmpty();
    // Let start, not yet shown as running by the cache: they hold their slots all the same.
    FfmpegTask low = task("low", "alice", TaskPriority.Low, 2);
    FfmpegTask normal = task("normal", "alice", null, 3);
    FfmpegTask high = task("high", "alice", TaskPriority.High, 4);

    String full =
        "Waiting for a free slot: client alice may run 2 tasks at once, and all are taken";
    assertThat(queues.waitReason(low)).hasValue(full);
    assertThat(queues.waitReason(high)).hasValue(full);
    assertThat(queues.waitReason(normal)).hasValue(full);

    running(first);
    running(second);
    finished(first);
    queues.ended(first);

    assertThat(woken).containsExactly("high");
    // A slot is free, but high takes it first.
    assertThat(queues.waitReason(normal))
        .hasValue(
            "Waiting for a free slot: client alice may run 2 tasks at once, and its tasks of"
                + " higher priority or submitted earlier start first");
    assertThat(queues.waitReason(high)).isEmpty();
    assertThat(queues.waitReason(normal)).hasValue(full);
  }

  @Test
  void withinOneSecondTheSubmitTimeToTheMillisecondOrdersTasks() {
    FfmpegTask a = task("a", "alice", null, 0);
    running(a);
    running(task("b", "alice", null, 0));
    FfmpegTask later = task("0-later", "alice", null, 1);
    FfmpegTask earlier = task("z-earlier", "alice", null, 1);
    FfmpegTask unreadable = task("1-unreadable", "alice", null, 1);
    later
        .getMetadata()
        .setAnnotations(Map.of(CrdConstants.ANNOTATION_SUBMITTED, "2026-12-06T10:00:01.900Z"));
    earlier
        .getMetadata()
        .setAnnotations(Map.of(CrdConstants.ANNOTATION_SUBMITTED, "2026-12-06T10:00:01.100Z"));
    unreadable.getMetadata().setAnnotations(Map.of(CrdConstants.ANNOTATION_SUBMITTED, "soon"));

    finished(a);
    queues.ended(a);

    // The unreadable time falls back to the creation time, 10:00:01.000.
    assertThat(woken).containsExactly("1-unreadable");
    assertThat(queues.waitReason(later)).isPresent();
    assertThat(queues.waitReason(earlier)).isPresent();
    assertThat(queues.waitReason(unreadable)).isEmpty();

    FfmpegTask b = cache.get(1);
    finished(b);
    queues.ended(b);

    // Within the same second, the time to the millisecond orders them, not their names.
    assertThat(woken).containsExactly("1-unreadable", "z-earlier");
    assertThat(queues.waitReason(later)).isPresent();
    assertThat(queues.waitReason(earlier)).isEmpty();
  }

  @Test
  void anEndedTaskFreesItsSlotBeforeTheCacheShowsIt() {
    FfmpegTask a = task("a", "alice", null, 0);
    FfmpegTask b = task("b", "alice", null, 1);
    FfmpegTask c = task("c", "alice", null, 2);
    running(a);
    running(b);
    assertThat(queues.waitReason(c)).isPresent();

    // The cache still shows a running: the status write that ends it has not come back yet.
    queues.ended(a);

    assertThat(woken).containsExactly("c");
    assertThat(queues.waitReason(c)).isEmpty();
  }

  @Test
  void cancelledAndDeletedTasksNeitherWaitNorHoldASlot() {
    FfmpegTask cancelled = task("cancelled", "alice", TaskPriority.High, 0);
    cancelled.getSpec().setCancel(true);
    FfmpegTask deleting = task("deleting", "alice", TaskPriority.High, 1);
    deleting.getMetadata().setDeletionTimestamp("2026-12-06T10:01:00Z");
    FfmpegTask a = task("a", "alice", null, 2);
    FfmpegTask b = task("b", "alice", null, 3);

    assertThat(queues.waitReason(a)).isEmpty();
    assertThat(queues.waitReason(b)).isEmpty();
  }

  @Test
  void aStartThatFailedGivesItsSlotBack() {
    FfmpegTask a = task("a", "alice", null, 0);
    FfmpegTask b = task("b", "alice", null, 1);
    FfmpegTask c = task("c", "alice", null, 2);
    assertThat(queues.waitReason(a)).isEmpty();
    assertThat(queues.waitReason(b)).isEmpty();
    assertThat(queues.waitReason(c)).isPresent();

    queues.notStarted(b);

    // b's slot is free again, and b, submitted before c, is the one to take it.
    assertThat(queues.waitReason(c)).isPresent();
    assertThat(queues.waitReason(b)).isEmpty();
  }
}
