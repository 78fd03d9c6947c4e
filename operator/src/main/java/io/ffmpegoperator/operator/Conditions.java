package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Standard status conditions as Kubernetes API conventions want them: one per type, and {@code
 * lastTransitionTime} changes only when the condition's status flips, not when its reason or
 * message does. Shared by the status builders of every kind.
 */
final class Conditions {
  static final String TRUE = "True";
  static final String FALSE = "False";
  static final String UNKNOWN = "Unknown";

  private Conditions() {}

  /** A copy of {@code conditions}, so a builder never changes the status it was given. */
  static List<Condition> copy(List<Condition> conditions) {
    List<Condition> copy = new ArrayList<>();
    if (conditions != null) {
      conditions.forEach(c -> copy.add(new ConditionBuilder(c).build()));
    }
    return copy;
  }

  /** Sets the condition of {@code type} in {@code conditions}, in place of any earlier one. */
  static void set(
      List<Condition> conditions,
      String type,
      String status,
      String reason,
      String message,
      long generation,
      Instant now) {
    Condition existing =
        conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    String transition =
        existing != null && status.equals(existing.getStatus())
            ? existing.getLastTransitionTime()
            : timestamp(now);
    Condition next =
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build();
    if (existing == null) {
      conditions.add(next);
    } else {
      conditions.set(conditions.indexOf(existing), next);
    }
  }

  /** An RFC 3339 time in whole seconds, as the API server writes its own. */
  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
