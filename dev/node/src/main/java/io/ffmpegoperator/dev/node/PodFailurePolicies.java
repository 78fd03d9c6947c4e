package io.ffmpegoperator.dev.node;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.List;

/**
 * Matches a failed pod against a Job's {@code podFailurePolicy} as the job controller does: rules
 * in order, first match wins, exit code 0 never matches; a rule matches on its {@code onExitCodes}
 * or on any of its {@code onPodConditions} (status {@code True} when none is given).
 */
final class PodFailurePolicies {

  /** What the job controller does with a failed pod. */
  enum Action {
    FAIL_JOB,
    IGNORE,
    COUNT
  }

  /** The action for one failed pod, and for FailJob the Failed condition's message. */
  record Match(Action action, String message) {
    static final Match COUNT = new Match(Action.COUNT, null);
  }

  private PodFailurePolicies() {}

  static Match match(PodFailurePolicy policy, Pod pod) {
    if (policy == null || policy.getRules() == null || pod.getStatus() == null) {
      return Match.COUNT;
    }
    List<PodFailurePolicyRule> rules = policy.getRules();
    for (int index = 0; index < rules.size(); index++) {
      PodFailurePolicyRule rule = rules.get(index);
      String message =
          rule.getOnExitCodes() != null
              ? onExitCodes(rule, index, pod)
              : onPodConditions(rule, index, pod);
      if (message != null) {
        return new Match(action(rule.getAction()), message);
      }
    }
    return Match.COUNT;
  }

  /** What matched, if a container of {@code pod} exited as the rule's codes say; else null. */
  private static String onExitCodes(PodFailurePolicyRule rule, int index, Pod pod) {
    PodFailurePolicyOnExitCodesRequirement onExitCodes = rule.getOnExitCodes();
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    if (statuses == null) {
      return null;
    }
    for (ContainerStatus status : statuses) {
      ContainerStateTerminated terminated =
          status.getState() == null ? null : status.getState().getTerminated();
      if (terminated == null
          || terminated.getExitCode() == null
          || terminated.getExitCode() == 0
          || (onExitCodes.getContainerName() != null
              && !onExitCodes.getContainerName().equals(status.getName()))
          || !matches(onExitCodes, terminated.getExitCode())) {
        continue;
      }
      return String.format(
          "Container %s for pod %s/%s failed with exit code %d matching %s rule at index %d",
          status.getName(),
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(),
          terminated.getExitCode(),
          rule.getAction(),
          index);
    }
    return null;
  }

  /** What matched, if {@code pod} has a condition the rule names; else null. */
  private static String onPodConditions(PodFailurePolicyRule rule, int index, Pod pod) {
    List<PodCondition> conditions = pod.getStatus().getConditions();
    if (rule.getOnPodConditions() == null || conditions == null) {
      return null;
    }
    for (PodFailurePolicyOnPodConditionsPattern pattern : rule.getOnPodConditions()) {
      String wanted = pattern.getStatus() == null ? "True" : pattern.getStatus();
      for (PodCondition condition : conditions) {
        if (pattern.getType().equals(condition.getType()) && wanted.equals(condition.getStatus())) {
          return String.format(
              "Pod %s/%s has condition %s matching %s rule at index %d",
              pod.getMetadata().getNamespace(),
              pod.getMetadata().getName(),
              condition.getType(),
              rule.getAction(),
              index);
        }
      }
    }
    return null;
  }

  private static boolean matches(PodFailurePolicyOnExitCodesRequirement req, int exitCode) {
    boolean listed = req.getValues() != null && req.getValues().contains(exitCode);
    return "NotIn".equals(req.getOperator()) ? !listed : listed;
  }

  private static Action action(String action) {
    return switch (action) {
      case "FailJob" -> Action.FAIL_JOB;
      case "Ignore" -> Action.IGNORE;
      // Count, and FailIndex (which needs backoffLimitPerIndex, not supported here).
      default -> Action.COUNT;
    };
  }
}
