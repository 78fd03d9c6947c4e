package io.ffmpegoperator.crds;

/** API group, version and label keys shared by every custom resource of the platform. */
public final class CrdConstants {
  public static final String GROUP = "media.ffmpeg-operator.io";
  public static final String VERSION = "v1alpha1";

  /** Standard labels put on everything the operator creates. */
  public static final String LABEL_NAME = "app.kubernetes.io/name";

  public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String APP_NAME = "ffmpeg-operator";

  /**
   * The API client (by the name its key carries) that made a task: whose limit of running tasks it
   * counts against, and who may see, cancel and delete it through the API.
   */
  public static final String LABEL_CLIENT = GROUP + "/client";

  /**
   * When the bridge took the task, to the millisecond (an RFC 3339 instant): the submit time a
   * client's waiting tasks start by. {@code creationTimestamp} has whole seconds only, so tasks
   * submitted within one second would otherwise start in the order of their random names.
   */
  public static final String ANNOTATION_SUBMITTED = GROUP + "/submitted";

  /**
   * On a child FfmpegTask of a parallel task: the parent's name. Children are found by it, and
   * their owner reference (controller) points at the parent too.
   */
  public static final String LABEL_PARENT = GROUP + "/parent";

  private CrdConstants() {}
}
