package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pod the chart makes meets the "restricted" Pod Security Standard, with a read-only root
 * filesystem on top, in both the default and the non-default install.
 */
class PodSecurityTest {

  static Stream<Arguments> installs() {
    return Stream.of(
        Arguments.of("defaults", null), Arguments.of("namespaced", Chart.NAMESPACED_VALUES));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("installs")
  void everyPodIsRestricted(String install, Path values) {
    List<HasMetadata> resources = Chart.render(values);
    List<Deployment> deployments = Chart.ofType(resources, Deployment.class);
    assertThat(deployments).hasSize(2);

    for (Deployment deployment : deployments) {
      String name = deployment.getMetadata().getName();
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      PodSecurityContext podContext = pod.getSecurityContext();
      assertThat(podContext).as(name).isNotNull();
      assertThat(podContext.getRunAsNonRoot()).as(name).isTrue();
      assertThat(podContext.getRunAsUser()).as(name).isEqualTo(65532L);
      assertThat(podContext.getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
      assertThat(pod.getHostNetwork()).as(name).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostPID()).as(name).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostIPC()).as(name).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getVolumes())
          .as(name + " volumes: only types the restricted profile allows")
          .allSatisfy(PodSecurityTest::assertAllowedVolume);
      assertThat(pod.getVolumes())
          .as(name + " has a writable /tmp")
          .anySatisfy(v -> assertThat(v.getName()).isEqualTo("tmp"));

      List<Container> containers = new ArrayList<>(pod.getContainers());
      containers.addAll(pod.getInitContainers());
      for (Container container : containers) {
        SecurityContext context = container.getSecurityContext();
        String what = name + "/" + container.getName();
        assertThat(context).as(what).isNotNull();
        assertThat(context.getAllowPrivilegeEscalation()).as(what).isFalse();
        assertThat(context.getReadOnlyRootFilesystem()).as(what).isTrue();
        assertThat(context.getPrivileged()).as(what).isNotEqualTo(Boolean.TRUE);
        assertThat(context.getCapabilities().getDrop()).as(what).containsExactly("ALL");
        assertThat(context.getCapabilities().getAdd()).as(what).isNullOrEmpty();
        assertThat(context.getRunAsUser()).as(what).isNotEqualTo(Long.valueOf(0));
        assertThat(container.getPorts())
            .as(what + " host ports")
            .allSatisfy(p -> assertThat(p.getHostPort()).isNull());
        assertThat(container.getVolumeMounts())
            .as(what + " mounts /tmp")
            .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
      }
    }
  }

  private static void assertAllowedVolume(Volume volume) {
    assertThat(volume.getHostPath()).as(volume.getName()).isNull();
    assertThat(volume.getEmptyDir() != null || volume.getSecret() != null)
        .as(volume.getName() + " is an emptyDir or a Secret")
        .isTrue();
    if (volume.getEmptyDir() != null) {
      assertThat(volume.getEmptyDir().getSizeLimit()).as(volume.getName()).isNotNull();
    }
  }
}
