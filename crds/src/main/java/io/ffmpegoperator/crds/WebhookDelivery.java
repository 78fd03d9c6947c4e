package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How the webhook of a finished task has gone. Kept in the status, not in the operator's memory, so
 * an operator that restarts goes on with the same delivery id and the same schedule.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class WebhookDelivery {
  @JsonPropertyDescription("The event sent: task.completed, task.failed or task.cancelled.")
  private String event;

  @JsonPropertyDescription(
      "Sent as X-FFmpeg-Operator-Delivery, the same on every attempt, so receivers can drop"
          + " repeats.")
  private String deliveryId;

  @JsonPropertyDescription("Pending while attempts remain, Delivered, or Failed after the last.")
  private WebhookState state;

  @JsonPropertyDescription("Attempts made so far.")
  private Integer attempts;

  @JsonPropertyDescription("HTTP status of the last answer; unset when there was none.")
  private Integer lastStatusCode;

  @JsonPropertyDescription("Why the last attempt failed, e.g. no answer in 10 s.")
  private String lastError;

  @JsonPropertyDescription("When the next attempt is due (RFC 3339), while Pending.")
  private String nextAttemptTime;

  @JsonPropertyDescription("When the receiver answered 2xx (RFC 3339).")
  private String deliveredTime;

  public String getEvent() {
    return event;
  }

  public void setEvent(String event) {
    this.event = event;
  }

  public String getDeliveryId() {
    return deliveryId;
  }

  public void setDeliveryId(String deliveryId) {
    this.deliveryId = deliveryId;
  }

  public WebhookState getState() {
    return state;
  }

  public void setState(WebhookState state) {
    this.state = state;
  }

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }

  public Integer getLastStatusCode() {
    return lastStatusCode;
  }

  public void setLastStatusCode(Integer lastStatusCode) {
    this.lastStatusCode = lastStatusCode;
  }

  public String getLastError() {
    return lastError;
  }

  public void setLastError(String lastError) {
    this.lastError = lastError;
  }

  public String getNextAttemptTime() {
    return nextAttemptTime;
  }

  public void setNextAttemptTime(String nextAttemptTime) {
    this.nextAttemptTime = nextAttemptTime;
  }

  public String getDeliveredTime() {
    return deliveredTime;
  }

  public void setDeliveredTime(String deliveredTime) {
    this.deliveredTime = deliveredTime;
  }
}
