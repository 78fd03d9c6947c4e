package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.crds.TaskState;
import org.junit.jupiter.api.Test;

class WebhookEventsTest {
  @Test
  void everyFinalStateSendsItsEventAndNoOtherStateSendsOne() {
    assertThat(WebhookDeliveries.event(TaskState.Completed)).isEqualTo("task.completed");
    assertThat(WebhookDeliveries.event(TaskState.Failed)).isEqualTo("task.failed");
    assertThat(WebhookDeliveries.event(TaskState.Cancelled)).isEqualTo("task.cancelled");
    assertThat(WebhookDeliveries.event(TaskState.Pending)).isNull();
    assertThat(WebhookDeliveries.event(TaskState.Running)).isNull();
    assertThat(WebhookDeliveries.event(null)).isNull();
  }
}
