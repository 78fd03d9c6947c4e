package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.TaskPriority;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.dev.stack.TestingApiClient.Answer;
import io.ffmpegoperator.settings.ApiClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two API clients, each allowed one running task, share the embedded stack: one client's extra
 * tasks wait their turn in priority order while the other's run, and neither sees the other's.
 */
class FairSharingIT {
  private static final String ALICE = "alice-key-" + UUID.randomUUID();
  private static final String BOB = "bob-key-" + UUID.randomUUID();

  @RegisterExtension
  static final TestingStack stack =
      new TestingStack(
          config ->
              config.withApiClients(
                  ApiClients.of(
                      ALICE + " name=alice max-running=1", BOB + " name=bob max-running=1")));

  /** About two seconds of the sample read in real time: long enough to hold the slot a while. */
  private static final String SLOW = "-re -i in_1 -t 2 -c:v libx264 -preset ultrafast -an out_1";

  private static final String QUICK =
      "-i in_1 -t 1 -vf scale=160:90 -c:v libx264 -preset ultrafast -an out_1";

  private static String register(TestingApiClient api, String command, String priority)
      throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ffmpeg_command", command);
    body.put("input_files", Map.of("in_1", stack.sampleInput()));
    body.put("output_files", Map.of("out_1", "fair-" + UUID.randomUUID() + ".mp4"));
    if (priority != null) {
      body.put("priority", priority);
    }
    Answer answer = api.post("/ffmpeg/register", body);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer.body().get("task_id").asText();
  }

  /** The ids of the tasks the client lists. */
  private static List<String> ids(TestingApiClient client) throws Exception {
    Answer answer = client.get("/ffmpeg/tasks?limit=500");
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    answer.body().get("tasks").forEach(task -> ids.add(task.get("task_id").asText()));
    return ids;
  }

  private static List<FfmpegTask> tasksOf(String client) {
    return stack
        .kubernetesClient()
        .resources(FfmpegTask.class)
        .inNamespace(stack.config().namespace())
        .withLabel(CrdConstants.LABEL_CLIENT, client)
        .list()
        .getItems();
  }

  private static boolean holdsASlot(FfmpegTask task) {
    FfmpegTaskStatus status = task.getStatus();
    return status != null && status.getJobName() != null && !status.getState().isFinished();
  }

  @Test
  void overItsLimitAClientsTasksQueueInPriorityOrderWhileAnotherClientsRun() throws Exception {
    TestingApiClient alice = new TestingApiClient(stack.apiUri(), ALICE);
    TestingApiClient bob = new TestingApiClient(stack.apiUri(), BOB);
    String first = register(alice, SLOW, null);
    String low = register(alice, SLOW, "low");
    String normal = register(alice, SLOW, null);
    String high = register(alice, SLOW, "high");
    List<String> alices = List.of(first, low, normal, high);

    // Watch every task of alice's until all are done: the order they get a Job, and how many
    // hold one at once.
    List<String> started = new ArrayList<>();
    AtomicInteger mostAtOnce = new AtomicInteger();
    Map<String, String> queuedMessages = new HashMap<>();
    String bobs = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      List<FfmpegTask> tasks =
          tasksOf("alice").stream()
              .filter(t -> alices.contains(t.getMetadata().getName()))
              .toList();
      int holding = 0;
      for (FfmpegTask task : tasks) {
        String id = task.getMetadata().getName();
        FfmpegTaskStatus status = task.getStatus();
        if (status != null && status.getJobName() != null && !started.contains(id)) {
          started.add(id);
        }
        if (status != null && "Queued".equals(status.getReason())) {
          queuedMessages.put(id, status.getMessage());
        }
        holding += holdsASlot(task) ? 1 : 0;
      }
      mostAtOnce.accumulateAndGet(holding, Math::max);
      if (bobs == null && queuedMessages.size() >= 2) {
        // Alice's queue is long now; bob's task must not wait behind it.
        bobs = register(bob, QUICK, null);
      }
      if (tasks.size() == 4
          && tasks.stream()
              .allMatch(t -> t.getStatus() != null && t.getStatus().getState().isFinished())) {
        break;
      }
      Thread.sleep(50);
    }

    assertThat(started).containsExactly(first, high, normal, low);
    assertThat(mostAtOnce.get()).isEqualTo(1);
    assertThat(queuedMessages).containsKeys(low, normal);
    assertThat(queuedMessages.get(low)).contains("client alice may run 1 task at once");
    for (String id : alices) {
      assertThat(alice.awaitTaskFinished(id).get("status").asText()).as(id).isEqualTo("completed");
    }
    assertThat(bobs).isNotNull();
    FfmpegTask bobsTask = stack.task(bobs);
    assertThat(bobsTask.getStatus().getState()).isEqualTo(TaskState.Completed);
    FfmpegTask lowTask = stack.task(low);
    // Bob's task ran while alice's last one still waited.
    assertThat(bobsTask.getStatus().getCompletionTime())
        .isLessThanOrEqualTo(lowTask.getStatus().getStartTime());
    assertThat(lowTask.getSpec().getPriority()).isEqualTo(TaskPriority.Low);
  }

  @Test
  void aWaitingTaskShowsPendingAndIsCancelledWithoutEverRunning() throws Exception {
    TestingApiClient bob = new TestingApiClient(stack.apiUri(), BOB);
    String running = register(bob, SLOW, null);
    await().atMost(Duration.ofSeconds(30)).until(() -> holdsASlot(stack.task(running)));
    // High priority orders bob's waiting tasks; it never stops one that runs.
    String waiting = register(bob, QUICK, "high");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              FfmpegTaskStatus status = stack.task(waiting).getStatus();
              return status != null && "Queued".equals(status.getReason());
            });
    Answer status = bob.get("/ffmpeg/status/" + waiting);
    assertThat(status.body().get("status").asText()).isEqualTo("pending");
    assertThat(bob.get("/ffmpeg/queue/size").body().get("queue_size").asLong())
        .isGreaterThanOrEqualTo(1);

    assertThat(bob.post("/ffmpeg/cancel/" + waiting, Map.of()).status()).isEqualTo(202);
    assertThat(bob.awaitTaskFinished(waiting).get("error_message").asText())
        .startsWith("cancelled");
    assertThat(stack.task(waiting).getStatus().getJobName()).isNull();
    assertThat(bob.awaitTaskFinished(running).get("status").asText()).isEqualTo("completed");
  }

  @Test
  void aClientSeesListsCancelsAndDeletesOnlyItsOwnTasks() throws Exception {
    TestingApiClient alice = new TestingApiClient(stack.apiUri(), ALICE);
    TestingApiClient bob = new TestingApiClient(stack.apiUri(), BOB);
    String alices = register(alice, QUICK, null);
    // Lists come from the bridge's cache, which has the new task a moment after it is made.
    await().atMost(Duration.ofSeconds(10)).until(() -> ids(alice).contains(alices));

    for (Answer answer :
        List.of(
            bob.get("/ffmpeg/status/" + alices),
            bob.post("/ffmpeg/cancel/" + alices, Map.of()),
            bob.delete("/ffmpeg/tasks/" + alices))) {
      assertThat(answer.status()).as(answer.text()).isEqualTo(404);
      assertThat(answer.body().get("detail").asText()).isEqualTo("Task not found");
    }
    List<String> bobSees = ids(bob);
    List<String> aliceSees = ids(alice);
    assertThat(bobSees).doesNotContain(alices);
    assertThat(aliceSees).contains(alices);
    assertThat(tasksOf("bob")).extracting(t -> t.getMetadata().getName()).containsAll(bobSees);
    assertThat(tasksOf("alice")).extracting(t -> t.getMetadata().getName()).containsAll(aliceSees);

    assertThat(alice.awaitTaskFinished(alices).get("status").asText()).isEqualTo("completed");
    assertThat(alice.delete("/ffmpeg/tasks/" + alices).status()).isEqualTo(204);
  }
}
