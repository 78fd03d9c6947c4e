package io.ffmpegoperator.dev.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerLaunchTest {
  private static final Path PODS = Path.of("/pods");
  private final PodSandbox sandbox = PodSandbox.of(PODS, "p1");
  private final List<VolumeMount> mounts =
      List.of(
          mount("work", "/work", null),
          mount("work", "/work/cache", "cache"),
          mount("tmp", "/tmp", null));

  @Test
  void containerPathsUnderMountsMapToVolumeDirs() {
    assertThat(sandbox.localize("/work", mounts)).isEqualTo("/pods/p1/volumes/work");
    assertThat(sandbox.localize("/work/in/a.mp4", mounts))
        .isEqualTo("/pods/p1/volumes/work/in/a.mp4");
    assertThat(sandbox.localize("/work/cache/x", mounts))
        .isEqualTo("/pods/p1/volumes/work/cache/x");
    assertThat(sandbox.localize("/workshop", mounts)).isEqualTo("/workshop");
    assertThat(sandbox.localize("in/a.mp4", mounts)).isEqualTo("in/a.mp4");
    assertThat(sandbox.workingDir("/work", mounts)).isEqualTo(Path.of("/pods/p1/volumes/work"));
    assertThat(sandbox.workingDir("/app", mounts)).isEqualTo(Path.of("/pods/p1"));
    assertThat(sandbox.workingDir(null, mounts)).isEqualTo(Path.of("/pods/p1"));
  }

  @Test
  void commandReplacesTheEntrypointAndArgsFollowIt() {
    LocalImage image = LocalImage.of("/bin/sh", "-c");
    assertThat(ContainerLaunch.of(pod(null, List.of("exit 0")), image, Map.of(), sandbox).command())
        .containsExactly("/bin/sh", "-c", "exit 0");
    assertThat(
            ContainerLaunch.of(
                    pod(List.of("/bin/echo"), List.of("/work/a")), image, Map.of(), sandbox)
                .command())
        .containsExactly("/bin/echo", "/pods/p1/volumes/work/a");
  }

  @Test
  void containerEnvWinsOverImageWhichWinsOverNode() {
    LocalImage image =
        LocalImage.of("/bin/true")
            .withEnv("A", "image")
            .withEnv("B", "image")
            .withWorkingDir("/work");
    Pod pod =
        new PodBuilder(pod(null, null))
            .editSpec()
            .editFirstContainer()
            .withEnv(
                new EnvVar("A", "container", null),
                new EnvVar("DIR", "/work/out", null),
                new EnvVarBuilder()
                    .withName("FROM_SECRET")
                    .withNewValueFrom()
                    .withNewSecretKeyRef("key", "secret", false)
                    .endValueFrom()
                    .build())
            .endContainer()
            .endSpec()
            .build();

    ContainerLaunch launch =
        ContainerLaunch.of(pod, image, Map.of("A", "node", "B", "node", "C", "node"), sandbox);

    assertThat(launch.env())
        .containsEntry("A", "container")
        .containsEntry("B", "image")
        .containsEntry("C", "node")
        .containsEntry("DIR", "/pods/p1/volumes/work/out")
        .containsEntry("HOSTNAME", "p1")
        .doesNotContainKey("FROM_SECRET");
    assertThat(launch.workingDir()).isEqualTo(Path.of("/pods/p1/volumes/work"));
  }

  @Test
  void bareProgramNamesAreLookedUpOnThePodsPath() {
    assertThat(ContainerLaunch.resolve("sh", "/nowhere:/bin")).isEqualTo("/bin/sh");
    assertThat(ContainerLaunch.resolve("no-such-program", "/bin")).isEqualTo("no-such-program");
    assertThat(ContainerLaunch.resolve("./run", "/bin")).isEqualTo("./run");
  }

  private Pod pod(List<String> command, List<String> args) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p1")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("sh")
        .withCommand(command)
        .withArgs(args)
        .withVolumeMounts(mounts)
        .endContainer()
        .endSpec()
        .build();
  }

  private static VolumeMount mount(String name, String path, String subPath) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).withSubPath(subPath).build();
  }
}
