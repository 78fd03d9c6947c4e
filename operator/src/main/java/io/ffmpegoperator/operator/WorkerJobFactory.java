package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.crds.TaskResources;
import io.ffmpegoperator.policy.InvalidTaskException;
import io.ffmpegoperator.policy.ResourcePolicy;
import io.ffmpegoperator.policy.TaskCommand;
import io.ffmpegoperator.protocol.WarmWorkerProtocol;
import io.ffmpegoperator.protocol.WorkOrder;
import io.ffmpegoperator.protocol.WorkerExitCodes;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.storage.StorageKeys;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Builds the batch/v1 Job that runs one task. A task's own Job is created once and never patched;
 * all it needs is in its pod's environment, including pre-signed links scoped to this task's
 * objects, so the pod holds no credential and no service-account token. A warm worker's Job has the
 * same pod, which asks the operator for that order instead ({@link OrderEndpoint}).
 */
final class WorkerJobFactory {
  static final String CONTAINER = "worker";
  static final String WORK_DIR = "/work";
  static final String MANAGED_BY = "ffmpeg-operator";

  /** Marks a warm worker's Job, claimed or not. */
  static final String WARM_LABEL = CrdConstants.GROUP + "/warm";

  /** The instance label of a warm worker's pod, which is made before any task is known. */
  static final String WARM_INSTANCE = "warm";

  /** Selects the Jobs this operator made, so its cache holds no one else's. */
  static final String MANAGED_BY_SELECTOR = CrdConstants.LABEL_MANAGED_BY + "=" + MANAGED_BY;

  /** Where a warm worker pod finds the file with its token. */
  static final String WARM_TOKEN_DIR = "/var/run/ffmpeg-operator/warm";

  private static final String WARM_TOKEN_VOLUME = "warm-token";
  private static final int TOKEN_FILE_MODE = 0440;

  /** Links in the work order outlive the Job's deadline by this much, for time spent queued. */
  private static final Duration LINK_MARGIN = Duration.ofHours(6);

  private final OperatorConfig config;
  private final S3Storage storage;

  WorkerJobFactory(OperatorConfig config, S3Storage storage) {
    this.config = config;
    this.storage = storage;
  }

  Job build(FfmpegTask task, TaskCommand command) {
    String taskName = task.getMetadata().getName();
    Duration timeout = timeoutOf(task);
    Map<String, String> labels = labels(JobNames.labelValue(taskName));
    parentOf(task).ifPresent(parent -> labels.put(CrdConstants.LABEL_PARENT, parent));
    return job(
        new ObjectMetaBuilder()
            .withName(JobNames.forTask(taskName))
            .withNamespace(task.getMetadata().getNamespace())
            .withLabels(labels)
            .withOwnerReferences(ownerReference(task))
            .build(),
        labels,
        cpuAndMemory(task.getSpec()),
        timeout,
        List.of(
            new EnvVar(
                WorkOrder.ENV, Serialization.asJson(workOrder(task, command, timeout)), null)));
  }

  /**
   * A warm worker's Job: the same pod as a task's, except that it asks {@code orderUrl} for its
   * order, proving who it is with the token of its Secret ({@link #warmTokenSecret}) mounted as a
   * file, and lives at most the configured idle time until a task claims it. The Job keeps only the
   * token's hash, {@code tokenHash}, for any replica to check a request against.
   */
  Job buildWarm(String namespace, String name, String tokenHash, String orderUrl) {
    Map<String, String> labels = labels(WARM_INSTANCE);
    Map<String, String> jobLabels = new LinkedHashMap<>(labels);
    jobLabels.put(WARM_LABEL, "true");
    Job job =
        job(
            new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(jobLabels)
                .withAnnotations(Map.of(WarmJobs.TOKEN_HASH_ANNOTATION, tokenHash))
                .build(),
            labels,
            // The default size: only tasks that ask for none are handed to a warm worker.
            config.worker().cpuAndMemory(),
            config.warm().idle(),
            List.of(
                new EnvVar(WarmWorkerProtocol.ORDER_URL_ENV, orderUrl, null),
                new EnvVar(
                    WarmWorkerProtocol.TOKEN_FILE_ENV,
                    WARM_TOKEN_DIR + "/" + WarmJobs.TOKEN_KEY,
                    null)));
    var pod = job.getSpec().getTemplate().getSpec();
    pod.getContainers()
        .get(0)
        .getVolumeMounts()
        .add(
            new VolumeMountBuilder()
                .withName(WARM_TOKEN_VOLUME)
                .withMountPath(WARM_TOKEN_DIR)
                .withReadOnly(true)
                .build());
    pod.getVolumes()
        .add(
            new VolumeBuilder()
                .withName(WARM_TOKEN_VOLUME)
                .withNewSecret()
                .withSecretName(WarmJobs.tokenSecretName(name))
                // Read-only for the pod's user and, through fsGroup, its group; no one else.
                .withDefaultMode(TOKEN_FILE_MODE)
                .endSecret()
                .build());
    return job;
  }

  /**
   * The Secret that holds the token of the warm Job {@code job} (as created, with its uid): named
   * after it, owned by it, so deleted with it.
   */
  Secret warmTokenSecret(Job job, String token) {
    Map<String, String> labels = labels(WARM_INSTANCE);
    labels.put(WarmJobs.TOKEN_SECRET_LABEL, "true");
    return new SecretBuilder()
        .withNewMetadata()
        .withName(WarmJobs.tokenSecretName(job.getMetadata().getName()))
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("batch/v1")
                .withKind("Job")
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .endMetadata()
        .withType("Opaque")
        .withData(
            Map.of(
                WarmJobs.TOKEN_KEY,
                Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  /** The value of the worker container's environment variable {@code name}, or null. */
  static String env(Job job, String name) {
    return job.getSpec().getTemplate().getSpec().getContainers().stream()
        .flatMap(c -> c.getEnv() == null ? Stream.<EnvVar>empty() : c.getEnv().stream())
        .filter(env -> name.equals(env.getName()))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }

  /**
   * Makes {@code task} the controller of what it owns (its Job; a parallel task's children), so
   * deleting the task deletes them.
   */
  static OwnerReference ownerReference(FfmpegTask task) {
    return new OwnerReferenceBuilder()
        .withApiVersion(task.getApiVersion())
        .withKind(task.getKind())
        .withName(task.getMetadata().getName())
        .withUid(task.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private Job job(
      ObjectMeta metadata,
      Map<String, String> podLabels,
      ResourcePolicy.Resources cpuAndMemory,
      Duration deadline,
      List<EnvVar> env) {
    return new JobBuilder()
        .withMetadata(metadata)
        .withNewSpec()
        .withBackoffLimit(config.backoffLimit())
        .withActiveDeadlineSeconds(deadline.toSeconds())
        .withTtlSecondsAfterFinished((int) config.jobTtl().toSeconds())
        .withNewPodFailurePolicy()
        .withRules(
            // A node drain or a preemption says nothing of the task: its pod is replaced without
            // counting against the backoff limit.
            new PodFailurePolicyRuleBuilder()
                .withAction("Ignore")
                .addNewOnPodCondition()
                .withType("DisruptionTarget")
                .withStatus("True")
                .endOnPodCondition()
                .build(),
            // A bad input or a bad command fails the same way every time: no retry.
            new PodFailurePolicyRuleBuilder()
                .withAction("FailJob")
                .withNewOnExitCodes()
                .withContainerName(CONTAINER)
                .withOperator("In")
                .withValues(WorkerExitCodes.PERMANENT)
                .endOnExitCodes()
                .build())
        .endPodFailurePolicy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withNodeSelector(config.placement().nodeSelector())
        .withTolerations(config.placement().tolerations())
        .withAffinity(config.placement().affinity())
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(
            new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(65532L)
                .withRunAsGroup(65532L)
                .withFsGroup(65532L)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build())
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(config.workerImage())
        .withImagePullPolicy("IfNotPresent")
        // The worker works in its current directory: the scratch volume.
        .withWorkingDir(WORK_DIR)
        .withEnv(env)
        .withVolumeMounts(
            new ArrayList<>(
                List.of(
                    new VolumeMountBuilder().withName("work").withMountPath(WORK_DIR).build(),
                    new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build())))
        .withResources(
            new ResourceRequirementsBuilder()
                .addToRequests(quantities(cpuAndMemory.requests()))
                .addToRequests("ephemeral-storage", new Quantity(config.worker().scratchSize()))
                .addToLimits(quantities(cpuAndMemory.limits()))
                .addToLimits("ephemeral-storage", new Quantity(config.worker().scratchSize()))
                .build())
        .withSecurityContext(
            new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .build())
        .endContainer()
        .withVolumes(
            new ArrayList<>(
                List.of(
                    new VolumeBuilder()
                        .withName("work")
                        .withNewEmptyDir()
                        .withSizeLimit(new Quantity(config.worker().scratchSize()))
                        .endEmptyDir()
                        .build(),
                    new VolumeBuilder()
                        .withName("tmp")
                        .withNewEmptyDir()
                        .withSizeLimit(new Quantity("64Mi"))
                        .endEmptyDir()
                        .build())))
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * The CPU and memory of a task's container: what its spec asks for (checked already), each one it
   * leaves out the operator's default; a limit is raised to a request above it, as {@link
   * ResourcePolicy.Resources#over} says.
   */
  private ResourcePolicy.Resources cpuAndMemory(FfmpegTaskSpec spec) {
    Map<String, Map<String, String>> own = resources(spec);
    ResourcePolicy.Resources defaults = config.worker().cpuAndMemory();
    return own == null
        ? defaults
        : new ResourcePolicy.Resources(
                own.get(ResourcePolicy.REQUESTS), own.get(ResourcePolicy.LIMITS))
            .over(defaults);
  }

  /**
   * What a task's spec asks for its container, as the resource policy reads it: {@code requests}
   * and {@code limits}, each by name; null when it asks for nothing, as seed tasks never do.
   */
  static Map<String, Map<String, String>> resources(FfmpegTaskSpec spec) {
    TaskResources own = spec.getResources();
    if (own == null) {
      return null;
    }
    Map<String, String> requests = TaskResources.text(own.getRequests());
    Map<String, String> limits = TaskResources.text(own.getLimits());
    if (requests.isEmpty() && limits.isEmpty()) {
      return null;
    }
    Map<String, Map<String, String>> resources = new LinkedHashMap<>();
    resources.put(ResourcePolicy.REQUESTS, requests);
    resources.put(ResourcePolicy.LIMITS, limits);
    return resources;
  }

  private static Map<String, Quantity> quantities(Map<String, String> amounts) {
    Map<String, Quantity> quantities = new LinkedHashMap<>();
    amounts.forEach((name, amount) -> quantities.put(name, new Quantity(amount)));
    return quantities;
  }

  Duration timeoutOf(FfmpegTask task) {
    Long seconds = task.getSpec().getTimeoutSeconds();
    return seconds == null ? config.defaultTimeout() : Duration.ofSeconds(seconds);
  }

  /** The order of {@code task}, or empty if its command does not parse (it then has no Job). */
  Optional<WorkOrder> workOrder(FfmpegTask task) {
    try {
      TaskCommand command = TaskCommand.parse(request(task.getSpec()), storage.bucket());
      return Optional.of(workOrder(task, command, timeoutOf(task)));
    } catch (InvalidTaskException e) {
      return Optional.empty();
    }
  }

  /** What a task's spec asks to run, as the command policy reads it. */
  static TaskCommand.Request request(FfmpegTaskSpec spec) {
    return new TaskCommand.Request(
        spec.getCommand(), spec.getInputs(), spec.getOutputs(), spec.getConcatLists());
  }

  /** What the worker of {@code task} is to do, with links good for the task's timeout and more. */
  WorkOrder workOrder(FfmpegTask task, TaskCommand command, Duration timeout) {
    String taskName = task.getMetadata().getName();
    Duration linkLifetime = min(timeout.plus(LINK_MARGIN), S3Storage.USER_LINK_LIFETIME);
    Map<String, String> inputPaths = new LinkedHashMap<>();
    List<WorkOrder.Input> inputs = new ArrayList<>();
    task.getSpec()
        .getInputs()
        .forEach(
            (name, url) -> {
              String path = TaskCommand.inputPath(name, url);
              inputPaths.put(name, path);
              boolean stored = isStorage(url);
              String fetchable = stored ? presignedGet(url, linkLifetime) : url;
              inputs.add(new WorkOrder.Input(name, fetchable, path, stored));
            });
    List<WorkOrder.ConcatList> concatLists = new ArrayList<>();
    if (task.getSpec().getConcatLists() != null) {
      task.getSpec()
          .getConcatLists()
          .forEach(
              (name, members) -> {
                String path = TaskCommand.concatListPath(name);
                inputPaths.put(name, path);
                concatLists.add(new WorkOrder.ConcatList(name, path, List.copyOf(members)));
              });
    }
    Map<String, String> outputPaths = new LinkedHashMap<>();
    List<WorkOrder.Output> outputs = new ArrayList<>();
    task.getSpec()
        .getOutputs()
        .forEach(
            (name, file) -> {
              String path = TaskCommand.outputPath(file);
              outputPaths.put(name, path);
              String key = StorageKeys.taskOutput(taskName, file);
              outputs.add(new WorkOrder.Output(name, path, storage.presignPut(key, linkLifetime)));
            });
    String reportKey = StorageKeys.taskReport(task.getMetadata().getNamespace(), taskName);
    return new WorkOrder(
        taskName,
        command.render(inputPaths, outputPaths, config.limits().media()),
        inputs,
        concatLists,
        outputs,
        storage.presignPut(reportKey, linkLifetime),
        config.limits(),
        config.inputAddresses().allowedNetworks());
  }

  private static boolean isStorage(String url) {
    return "s3".equalsIgnoreCase(URI.create(url).getScheme());
  }

  /** s3:// inputs become pre-signed GET links, so the worker needs no S3 credentials. */
  private String presignedGet(String url, Duration lifetime) {
    return storage.presignGet(URI.create(url).getPath().substring(1), lifetime);
  }

  /**
   * The parallel task whose part the task is, if it is one: its Job carries the parent's label too,
   * so {@code kubectl get jobs -l media.ffmpeg-operator.io/parent=<task>} lists a parallel task's
   * Jobs.
   */
  static Optional<String> parentOf(FfmpegTask task) {
    Map<String, String> labels = task.getMetadata().getLabels();
    return Optional.ofNullable(labels == null ? null : labels.get(CrdConstants.LABEL_PARENT));
  }

  private static Map<String, String> labels(String instance) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(CrdConstants.LABEL_NAME, CrdConstants.APP_NAME);
    labels.put(CrdConstants.LABEL_COMPONENT, "worker");
    labels.put(CrdConstants.LABEL_INSTANCE, instance);
    labels.put(CrdConstants.LABEL_MANAGED_BY, MANAGED_BY);
    return labels;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
