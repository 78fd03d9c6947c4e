package io.ffmpegoperator.crds;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where the operator tells a client that its task has ended. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class TaskWebhook {
  @Required
  @JsonPropertyDescription(
      "http or https URL the operator POSTs the task's final status to, signed with the"
          + " platform's webhook secret; held to the same address policy as inputs, and without"
          + " user info.")
  private String url;

  public TaskWebhook() {}

  public TaskWebhook(String url) {
    this.url = url;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }
}
