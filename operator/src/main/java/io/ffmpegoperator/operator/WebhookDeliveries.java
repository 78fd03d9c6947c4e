package io.ffmpegoperator.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskStatus;
import io.ffmpegoperator.crds.StoredOutput;
import io.ffmpegoperator.crds.TaskState;
import io.ffmpegoperator.crds.WebhookDelivery;
import io.ffmpegoperator.crds.WebhookState;
import io.ffmpegoperator.policy.WebhookUrl;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.storage.StorageKeys;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Tells a finished task's {@code spec.webhook} that it has ended: one signed POST of the seed's
 * task response plus an {@code event}, retried on the settings' schedule until a 2xx answer or the
 * last attempt. Everything it needs to go on lives in {@code status.webhook}, and each next attempt
 * is a rescheduled reconcile, so an operator restart neither loses nor restarts a delivery. Only
 * the reconciling replica (the leader) sends. The task's own state never changes here.
 */
final class WebhookDeliveries {
  static final String REASON_DELIVERED = "WebhookDelivered";
  static final String REASON_FAILED = "WebhookFailed";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebhookSettings settings;
  private final WebhookSender sender;
  private final S3Storage storage;
  private final ResourceEvents events;
  private final Clock clock;

  WebhookDeliveries(
      WebhookSettings settings,
      WebhookSender sender,
      S3Storage storage,
      ResourceEvents events,
      Clock clock) {
    this.settings = settings;
    this.sender = sender;
    this.storage = storage;
    this.events = events;
    this.clock = clock;
  }

  /**
   * The event a task in {@code state} sends, or null for a state that sends none. A new final state
   * needs one line here.
   */
  static String event(TaskState state) {
    if (state == null) {
      return null;
    }
    switch (state) {
      case Completed:
        return "task.completed";
      case Failed:
        return "task.failed";
      case Cancelled:
        return "task.cancelled";
      default:
        return null;
    }
  }

  /**
   * Starts the delivery in {@code next}, the status about to be written, when it finishes a task
   * that has a webhook. The first attempt waits for the next reconcile, after the write, so the
   * receiver that asks for the task's status on being called sees it finished.
   *
   * @return whether one was started
   */
  boolean begin(FfmpegTask task, FfmpegTaskStatus next) {
    String event = event(next.getState());
    if (url(task) == null || event == null || next.getWebhook() != null) {
      return false;
    }
    WebhookDelivery delivery = new WebhookDelivery();
    delivery.setEvent(event);
    // The same id for every attempt, and for an operator that restarts between two of them.
    delivery.setDeliveryId(
        UUID.nameUUIDFromBytes(
                (task.getMetadata().getUid() + "/" + event).getBytes(StandardCharsets.UTF_8))
            .toString());
    delivery.setState(WebhookState.Pending);
    delivery.setAttempts(0);
    delivery.setNextAttemptTime(clock.instant().toString());
    next.setWebhook(delivery);
    return true;
  }

  /** The next step of a finished task's delivery: an attempt when one is due, else a wait. */
  UpdateControl<FfmpegTask> reconcile(FfmpegTask task) {
    FfmpegTaskStatus status = copy(task.getStatus());
    if (status.getWebhook() == null) {
      // spec.webhook set after the task had ended: it is told all the same.
      return begin(task, status)
          ? UpdateControl.patchStatus(withStatus(task, status)).rescheduleAfter(Duration.ZERO)
          : UpdateControl.noUpdate();
    }
    WebhookDelivery delivery = status.getWebhook();
    if (url(task) == null || delivery.getState() == null || delivery.getState().isFinished()) {
      return UpdateControl.noUpdate();
    }
    Instant now = clock.instant();
    Instant due =
        delivery.getNextAttemptTime() == null ? now : Instant.parse(delivery.getNextAttemptTime());
    if (due.isAfter(now)) {
      return UpdateControl.<FfmpegTask>noUpdate().rescheduleAfter(Duration.between(now, due));
    }
    Duration wait = attempt(task, delivery);
    UpdateControl<FfmpegTask> control = UpdateControl.patchStatus(withStatus(task, status));
    return wait == null ? control : control.rescheduleAfter(wait);
  }

  /** Makes one attempt and records it in {@code delivery}; the wait before the next, or null. */
  private Duration attempt(FfmpegTask task, WebhookDelivery delivery) {
    int made = (delivery.getAttempts() == null ? 0 : delivery.getAttempts()) + 1;
    delivery.setAttempts(made);
    WebhookSender.Outcome outcome = send(task, delivery);
    Instant after = clock.instant();
    delivery.setLastStatusCode(outcome.statusCode());
    delivery.setLastError(outcome.delivered() ? null : failure(outcome));
    if (outcome.delivered()) {
      delivery.setState(WebhookState.Delivered);
      delivery.setDeliveredTime(after.toString());
      delivery.setNextAttemptTime(null);
      events.normal(task, REASON_DELIVERED, delivery.getEvent() + " delivered on attempt " + made);
      return null;
    }
    Duration wait = settings.secret() == null ? null : settings.waitAfter(made);
    if (wait == null) {
      delivery.setState(WebhookState.Failed);
      delivery.setNextAttemptTime(null);
      events.warning(
          task,
          REASON_FAILED,
          "Webhook delivery failed after " + made + " attempts: " + delivery.getLastError());
      return null;
    }
    delivery.setNextAttemptTime(after.plus(wait).toString());
    return wait;
  }

  private WebhookSender.Outcome send(FfmpegTask task, WebhookDelivery delivery) {
    if (settings.secret() == null) {
      return new WebhookSender.Outcome(null, "the operator has no WEBHOOK_SECRET to sign with");
    }
    String url = url(task);
    String refused = WebhookUrl.problem(url);
    if (refused != null) {
      return new WebhookSender.Outcome(null, refused);
    }
    byte[] body = body(task, delivery.getEvent());
    String signature =
        WebhookSignature.header(settings.secret(), clock.instant().getEpochSecond(), body);
    return sender.post(url, body, delivery.getDeliveryId(), signature);
  }

  private static String failure(WebhookSender.Outcome outcome) {
    return outcome.statusCode() != null ? "HTTP " + outcome.statusCode() : outcome.error();
  }

  /** The seed's task response, as GET /ffmpeg/status answers it, plus the event. */
  byte[] body(FfmpegTask task, String event) {
    FfmpegTaskStatus status = task.getStatus();
    TaskState state = status.getState();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", task.getMetadata().getName());
    body.put("status", state.apiName());
    body.put("output_urls", state == TaskState.Completed ? outputUrls(task) : null);
    body.put("error_message", state == TaskState.Completed ? null : status.getMessage());
    body.put("event", event);
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write a webhook body", e);
    }
  }

  private Map<String, String> outputUrls(FfmpegTask task) {
    Map<String, String> fileNames = task.getSpec().getOutputs();
    Map<String, String> urls = new LinkedHashMap<>();
    for (StoredOutput output : task.getStatus().getOutputs()) {
      String key = output.getKey();
      if (key == null) {
        key = StorageKeys.taskOutput(task.getMetadata().getName(), fileNames.get(output.getName()));
      }
      urls.put(output.getName(), storage.presignGet(key, S3Storage.USER_LINK_LIFETIME));
    }
    return urls;
  }

  private static String url(FfmpegTask task) {
    return task.getSpec() == null || task.getSpec().getWebhook() == null
        ? null
        : task.getSpec().getWebhook().getUrl();
  }

  private static FfmpegTaskStatus copy(FfmpegTaskStatus status) {
    return Serialization.unmarshal(Serialization.asJson(status), FfmpegTaskStatus.class);
  }

  private static FfmpegTask withStatus(FfmpegTask task, FfmpegTaskStatus status) {
    task.setStatus(status);
    return task;
  }
}
