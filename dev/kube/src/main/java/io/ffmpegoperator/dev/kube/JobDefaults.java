package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What the API server adds to a batch/v1 Job when it is created without {@code manualSelector}: the
 * selector of its pods ({@code batch.kubernetes.io/controller-uid: <uid>}) and the labels that
 * selector and people look for in its pod template (the Job strategy's {@code generateSelector}).
 * {@code kubectl logs job/<name>} finds the Job's pod through that selector.
 */
final class JobDefaults {

  static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  static final String JOB_NAME = "batch.kubernetes.io/job-name";
  private static final String LEGACY_CONTROLLER_UID = "controller-uid";
  private static final String LEGACY_JOB_NAME = "job-name";

  private static final ObjectMapper JSON = new ObjectMapper();

  private JobDefaults() {}

  /** {@code created}, the JSON of a new object at {@code path}, with a Job's defaults added. */
  static String onCreate(String path, String created) {
    boolean job =
        ResourcePath.parse(path)
            .filter(p -> p.group().equals("batch") && p.plural().equals("jobs"))
            .isPresent();
    if (!job) {
      return created;
    }
    try {
      JsonNode object = JSON.readTree(created);
      JsonNode spec = object.path("spec");
      String uid = object.path("metadata").path("uid").asText("");
      if (!(spec instanceof ObjectNode specNode)
          || spec.path("manualSelector").asBoolean(false)
          || uid.isEmpty()) {
        return created;
      }
      String name = object.path("metadata").path("name").asText();
      ObjectNode labels = object(object(object(specNode, "template"), "metadata"), "labels");
      labels.put(LEGACY_JOB_NAME, labels.path(LEGACY_JOB_NAME).asText(name));
      labels.put(JOB_NAME, labels.path(JOB_NAME).asText(name));
      labels.put(LEGACY_CONTROLLER_UID, labels.path(LEGACY_CONTROLLER_UID).asText(uid));
      labels.put(CONTROLLER_UID, labels.path(CONTROLLER_UID).asText(uid));
      ObjectNode matchLabels = object(object(specNode, "selector"), "matchLabels");
      if (!matchLabels.has(CONTROLLER_UID)) {
        matchLabels.put(CONTROLLER_UID, uid);
      }
      return JSON.writeValueAsString(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode object(ObjectNode parent, String field) {
    return parent.get(field) instanceof ObjectNode child ? child : parent.putObject(field);
  }
}
