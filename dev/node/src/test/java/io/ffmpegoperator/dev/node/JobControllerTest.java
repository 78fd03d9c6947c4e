package io.ffmpegoperator.dev.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.ffmpegoperator.dev.node.JobController.Plan;
import io.ffmpegoperator.dev.node.JobController.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobControllerTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final JobController controller = new JobController(Duration.ofSeconds(10));

  @Test
  void newJobGetsAStartTimeAndAPod() {
    Plan plan = controller.plan(job().build(), List.of(), T0);

    assertThat(plan.step()).isEqualTo(Step.CREATE_POD);
    assertThat(plan.status().getStartTime()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(plan.status().getConditions()).isNullOrEmpty();
  }

  @Test
  void runningPodIsActiveAndReadyAndTheDeadlineIsAWakeUp() {
    Job job = started(job().editSpec().withActiveDeadlineSeconds(60L).endSpec().build());
    Pod running = pod("p1", PodStatuses.running(template(), T0, "local://42"));

    Plan plan = controller.plan(job, List.of(running), T0.plusSeconds(1));

    assertThat(plan.step()).isEqualTo(Step.NONE);
    assertThat(plan.status().getActive()).isEqualTo(1);
    assertThat(plan.status().getReady()).isEqualTo(1);
    assertThat(plan.wakeUpAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void passedDeadlineTerminatesActivePodsThenFails() {
    Job job = started(job().editSpec().withActiveDeadlineSeconds(5L).endSpec().build());
    Pod running = pod("p1", PodStatuses.running(template(), T0, "local://42"));

    Plan first = controller.plan(job, List.of(running), T0.plusSeconds(5));
    assertThat(first.step()).isEqualTo(Step.TERMINATE_ACTIVE);
    assertThat(types(first)).containsExactly("FailureTarget");

    job.setStatus(first.status());
    Pod killed =
        pod(
            "p1",
            PodStatuses.terminated(
                template(),
                "local://42",
                new ContainerRuntime.Ended(143, null),
                T0,
                T0.plusSeconds(6)));
    Plan second = controller.plan(job, List.of(killed), T0.plusSeconds(6));
    assertThat(second.step()).isEqualTo(Step.NONE);
    assertThat(types(second)).containsExactly("FailureTarget", "Failed");
    assertThat(second.status().getConditions().get(1).getReason()).isEqualTo("DeadlineExceeded");
    assertThat(second.status().getFailed()).isEqualTo(1);
  }

  @Test
  void failedPodIsReplacedAfterTheBackoffDelayDoubling() {
    Job job = started(job().build());
    Pod failed1 = failedPod("p1", 1, T0.plusSeconds(1));
    Pod failed2 = failedPod("p2", 1, T0.plusSeconds(20));

    Plan waiting = controller.plan(job, List.of(failed1), T0.plusSeconds(5));
    assertThat(waiting.step()).isEqualTo(Step.NONE);
    assertThat(waiting.wakeUpAt()).isEqualTo(T0.plusSeconds(11));
    assertThat(controller.plan(job, List.of(failed1), T0.plusSeconds(11)).step())
        .isEqualTo(Step.CREATE_POD);
    assertThat(controller.plan(job, List.of(failed1, failed2), T0.plusSeconds(21)).wakeUpAt())
        .isEqualTo(T0.plusSeconds(40));
  }

  @Test
  void backoffLimitCountsFailuresBeyondTheLimit() {
    Job job = started(job().editSpec().withBackoffLimit(1).endSpec().build());
    Pod failed1 = failedPod("p1", 1, T0);
    Pod failed2 = failedPod("p2", 1, T0);

    assertThat(controller.plan(job, List.of(failed1), T0.plusSeconds(60)).step())
        .isEqualTo(Step.CREATE_POD);
    Plan plan = controller.plan(job, List.of(failed1, failed2), T0.plusSeconds(60));
    assertThat(types(plan)).containsExactly("FailureTarget", "Failed");
    assertThat(plan.status().getConditions().get(1).getReason()).isEqualTo("BackoffLimitExceeded");
  }

  @Test
  void podFailurePolicyFailsIgnoresOrCounts() {
    Job job =
        started(
            job()
                .editSpec()
                .withNewPodFailurePolicy()
                .withRules(rule("FailJob", "In", 10, 11), rule("Ignore", "NotIn", 1, 2))
                .endPodFailurePolicy()
                .endSpec()
                .build());

    Plan failJob = controller.plan(job, List.of(failedPod("p1", 11, T0)), T0.plusSeconds(60));
    assertThat(failJob.status().getConditions().get(1).getReason()).isEqualTo("PodFailurePolicy");
    assertThat(failJob.status().getConditions().get(1).getMessage())
        .isEqualTo(
            "Container main for pod test/p1 failed with exit code 11 matching FailJob rule at"
                + " index 0");

    Plan ignored = controller.plan(job, List.of(failedPod("p1", 7, T0)), T0.plusSeconds(1));
    assertThat(ignored.step()).isEqualTo(Step.CREATE_POD);
    assertThat(ignored.status().getFailed()).isNull();

    Plan counted = controller.plan(job, List.of(failedPod("p1", 1, T0)), T0.plusSeconds(60));
    assertThat(counted.step()).isEqualTo(Step.CREATE_POD);
    assertThat(counted.status().getFailed()).isEqualTo(1);
  }

  @Test
  void aDisruptedPodIsIgnoredByAnOnPodConditionsRule() {
    Job job =
        started(
            job()
                .editSpec()
                .withNewPodFailurePolicy()
                .withRules(
                    new PodFailurePolicyRuleBuilder()
                        .withAction("Ignore")
                        .addNewOnPodCondition()
                        .withType("DisruptionTarget")
                        .endOnPodCondition()
                        .build(),
                    rule("FailJob", "In", 137))
                .endPodFailurePolicy()
                .endSpec()
                .build());
    Pod drained = failedPod("p1", 137, T0);
    drained
        .getStatus()
        .getConditions()
        .add(
            new PodConditionBuilder()
                .withType("DisruptionTarget")
                .withStatus("True")
                .withReason("EvictionByEvictionAPI")
                .build());

    Plan ignored = controller.plan(job, List.of(drained), T0.plusSeconds(1));
    assertThat(ignored.step()).isEqualTo(Step.CREATE_POD);
    assertThat(ignored.status().getFailed()).isNull();

    Plan failJob = controller.plan(job, List.of(failedPod("p2", 137, T0)), T0.plusSeconds(1));
    assertThat(failJob.status().getConditions().get(1).getReason()).isEqualTo("PodFailurePolicy");
  }

  @Test
  void successMeetsCriteriaThenCompletesAndExpiresAfterItsTtl() {
    Job job = started(job().editSpec().withTtlSecondsAfterFinished(30).endSpec().build());
    Pod done =
        pod(
            "p1",
            PodStatuses.terminated(
                template(),
                "local://42",
                new ContainerRuntime.Ended(0, null),
                T0,
                T0.plusSeconds(2)));

    Plan complete = controller.plan(job, List.of(done), T0.plusSeconds(2));
    assertThat(types(complete)).containsExactly("SuccessCriteriaMet", "Complete");
    assertThat(complete.status().getSucceeded()).isEqualTo(1);
    assertThat(complete.status().getCompletionTime()).isEqualTo("2025-01-01T00:00:02Z");

    job.setStatus(complete.status());
    Plan idle = controller.plan(job, List.of(done), T0.plusSeconds(3));
    assertThat(idle.status()).isEqualTo(complete.status());
    assertThat(idle.wakeUpAt()).isEqualTo(T0.plusSeconds(32));
    assertThat(controller.plan(job, List.of(done), T0.plusSeconds(32)).step())
        .isEqualTo(Step.DELETE_JOB);
  }

  @Test
  void suspendDeletesActivePodsAndResumeRestartsTheClock() {
    Job job = started(job().editSpec().withSuspend(true).endSpec().build());
    Pod running = pod("p1", PodStatuses.running(template(), T0, "local://42"));

    Plan suspended = controller.plan(job, List.of(running), T0.plusSeconds(1));
    assertThat(suspended.step()).isEqualTo(Step.DELETE_ACTIVE);
    assertThat(types(suspended)).containsExactly("Suspended");

    job.setStatus(suspended.status());
    job.getSpec().setSuspend(false);
    Plan resumed = controller.plan(job, List.of(), T0.plusSeconds(9));
    assertThat(resumed.step()).isEqualTo(Step.CREATE_POD);
    assertThat(resumed.status().getConditions().get(0).getReason()).isEqualTo("JobResumed");
    assertThat(resumed.status().getStartTime()).isEqualTo("2025-01-01T00:00:09Z");
  }

  @Test
  void decidingTwiceDecidesTheSame() {
    Job job = job().build();
    Plan first = controller.plan(job, List.of(), T0);
    job.setStatus(first.status());
    assertThat(controller.plan(job, List.of(), T0.plusSeconds(1)).status())
        .isEqualTo(first.status());
  }

  private static JobBuilder job() {
    return new JobBuilder()
        .withNewMetadata()
        .withName("job")
        .withNamespace("test")
        .withUid("uid-1")
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(6)
        .withNewTemplate()
        .withSpec(template().getSpec())
        .endTemplate()
        .endSpec();
  }

  private Job started(Job job) {
    job.setStatus(controller.plan(job, List.of(), T0).status());
    return job;
  }

  private static Pod template() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("template")
        .withNamespace("test")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("sh")
        .endContainer()
        .endSpec()
        .build();
  }

  private static Pod pod(String name, io.fabric8.kubernetes.api.model.PodStatus status) {
    return new PodBuilder(template())
        .editMetadata()
        .withName(name)
        .endMetadata()
        .withStatus(status)
        .build();
  }

  private static Pod failedPod(String name, int exitCode, Instant finishedAt) {
    return pod(
        name,
        PodStatuses.terminated(
            template(), "local://42", new ContainerRuntime.Ended(exitCode, null), T0, finishedAt));
  }

  private static io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule rule(
      String action, String operator, Integer... codes) {
    return new PodFailurePolicyRuleBuilder()
        .withAction(action)
        .withNewOnExitCodes()
        .withOperator(operator)
        .withValues(codes)
        .endOnExitCodes()
        .build();
  }

  private static List<String> types(Plan plan) {
    return plan.status().getConditions().stream().map(JobCondition::getType).toList();
  }
}
