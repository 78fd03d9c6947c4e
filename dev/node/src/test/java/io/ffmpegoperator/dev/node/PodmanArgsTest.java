package io.ffmpegoperator.dev.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodmanArgsTest {
  private static final PodSandbox SANDBOX = PodSandbox.of(Path.of("/node/pods"), "p1");

  /** The shape of a worker Job's pod, as the operator writes it. */
  private static PodBuilder workerPod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p1")
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(10L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(65532L)
        .withRunAsGroup(65532L)
        .withFsGroup(65532L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName("worker")
        .withImage("ghcr.io/ffmpeg-operator/worker:0.1.0")
        .withWorkingDir("/work")
        .addNewEnv()
        .withName("TASK")
        .withValue("a b \"c\"")
        .endEnv()
        .withArgs("--flag", "value with spaces")
        .withNewSecurityContext()
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .withNewResources()
        .addToRequests("cpu", new Quantity("500m"))
        .addToRequests("memory", new Quantity("128Mi"))
        .addToLimits("cpu", new Quantity("2"))
        .addToLimits("memory", new Quantity("64Mi"))
        .endResources()
        .addNewVolumeMount()
        .withName("work")
        .withMountPath("/work")
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("token")
        .withMountPath("/var/run/token")
        .withReadOnly(true)
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("work")
        .withNewEmptyDir()
        .withSizeLimit(new Quantity("1Gi"))
        .endEmptyDir()
        .endVolume()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .withMedium("Memory")
        .withSizeLimit(new Quantity("64Mi"))
        .endEmptyDir()
        .endVolume()
        .addNewVolume()
        .withName("token")
        .withNewSecret()
        .withSecretName("t")
        .endSecret()
        .endVolume()
        .endSpec();
  }

  private static List<String> create(Pod pod) {
    return PodmanArgs.create(pod, SANDBOX, "ffop-default-p1", "/node/pods");
  }

  @Test
  void appliesTheSecurityContextAsAKubeletWould() {
    List<String> args = create(workerPod().build());
    assertThat(args)
        .containsSequence("--user", "65532:65532")
        .containsSequence("--group-add", "65532")
        .contains("--read-only", "--read-only-tmpfs=false", "--cap-drop=ALL")
        .containsSequence("--security-opt", "no-new-privileges")
        .doesNotContain("seccomp=unconfined", "--privileged");
  }

  @Test
  void seccompUnsetIsUnconfinedAsOnAKubeletWithoutSeccompDefault() {
    Pod pod =
        workerPod()
            .editSpec()
            .editSecurityContext()
            .withSeccompProfile(null)
            .endSecurityContext()
            .endSpec()
            .build();
    assertThat(create(pod)).containsSequence("--security-opt", "seccomp=unconfined");
  }

  @Test
  void limitsBecomeCgroupSettings() {
    List<String> args = create(workerPod().build());
    assertThat(args)
        .containsSequence("--memory", "67108864", "--memory-swap", "67108864")
        .containsSequence("--memory-reservation", "134217728")
        .containsSequence("--cpus", "2.000")
        // The kubelet's shares: 500 milli-CPU * 1024 / 1000.
        .containsSequence("--cpu-shares", "512");
  }

  @Test
  void volumesMountTheSandboxOrAMemoryTmpfs() {
    List<String> args = create(workerPod().build());
    assertThat(args)
        .containsSequence("--volume", "/node/pods/p1/volumes/work:/work:rw")
        .containsSequence("--volume", "/node/pods/p1/volumes/token:/var/run/token:ro")
        .containsSequence(
            "--mount", "type=tmpfs,destination=/tmp,tmpfs-size=67108864,tmpfs-mode=1777");
  }

  @Test
  void envArgsAndWorkingDirPassAsSeparateArguments() {
    List<String> args = create(workerPod().build());
    assertThat(args)
        .containsSequence("--env", "TASK=a b \"c\"")
        .containsSequence("--workdir", "/work")
        .containsSequence("--stop-timeout", "10")
        .containsSequence("ghcr.io/ffmpeg-operator/worker:0.1.0", "--flag", "value with spaces")
        .doesNotContain("--entrypoint");
    assertThat(args.get(args.size() - 3)).isEqualTo("ghcr.io/ffmpeg-operator/worker:0.1.0");
  }

  @Test
  void aCommandReplacesTheEntrypoint() {
    Pod pod =
        workerPod()
            .editSpec()
            .editFirstContainer()
            .withCommand("sh", "-c", "echo \"hi\"")
            .withArgs(Collections.emptyList())
            .endContainer()
            .endSpec()
            .build();
    assertThat(create(pod)).containsSequence("--entrypoint", "[\"sh\",\"-c\",\"echo \\\"hi\\\"\"]");
  }

  @Test
  void otherVolumeKindsAreRefused() {
    Pod pod =
        workerPod()
            .editSpec()
            .editMatchingVolume(v -> v.getName().equals("work"))
            .withEmptyDir(null)
            .withNewHostPath()
            .withPath("/etc")
            .endHostPath()
            .endVolume()
            .endSpec()
            .build();
    assertThatThrownBy(() -> create(pod)).hasMessageContaining("only emptyDir and secret");
  }

  @Test
  void runAsNonRootIsCheckedAgainstTheUserThatWouldRun() {
    assertThat(PodmanArgs.nonRootProblem(workerPod().build(), "")).isEmpty();
    Pod imageUser =
        workerPod()
            .editSpec()
            .editSecurityContext()
            .withRunAsUser(null)
            .endSecurityContext()
            .endSpec()
            .build();
    assertThat(PodmanArgs.nonRootProblem(imageUser, "65532:65532")).isEmpty();
    assertThat(PodmanArgs.nonRootProblem(imageUser, ""))
        .contains("container has runAsNonRoot and image will run as root");
    assertThat(PodmanArgs.nonRootProblem(imageUser, "nonroot"))
        .hasValueSatisfying(m -> assertThat(m).contains("non-numeric user (nonroot)"));
    Pod root =
        workerPod()
            .editSpec()
            .editSecurityContext()
            .withRunAsUser(0L)
            .endSecurityContext()
            .endSpec()
            .build();
    assertThat(PodmanArgs.nonRootProblem(root, "65532")).isPresent();
  }
}
