package io.ffmpegoperator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ffmpegoperator.policy.ResourcePolicy.Resources;
import io.ffmpegoperator.settings.EnvSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourcePolicyTest {
  private static final ResourcePolicy POLICY = ResourcePolicy.defaults();

  private static Map<String, Map<String, String>> resources(
      Map<String, String> requests, Map<String, String> limits) {
    Map<String, Map<String, String>> resources = new LinkedHashMap<>();
    if (requests != null) {
      resources.put("requests", requests);
    }
    if (limits != null) {
      resources.put("limits", limits);
    }
    return resources;
  }

  @Test
  void takesCpuAndMemoryUpToTheMaximum() {
    assertThat(
            POLICY.problems(
                resources(
                    Map.of("cpu", "500m", "memory", "256Mi"), Map.of("cpu", "4", "memory", "8Gi"))))
        .isEmpty();
    assertThat(POLICY.problems(resources(null, Map.of("memory", "1Gi")))).isEmpty();
    assertThat(POLICY.problems(null)).isEmpty();
    assertThat(POLICY.problems(Map.of())).isEmpty();
  }

  @Test
  void namesTheFieldAboveTheMaximum() {
    assertThat(POLICY.problems(resources(null, Map.of("memory", "64Gi", "cpu", "4001m"))))
        .containsExactlyInAnyOrder(
            "resources.limits.memory 64Gi is above the maximum 8Gi",
            "resources.limits.cpu 4001m is above the maximum 4");
    assertThat(POLICY.problems(resources(Map.of("cpu", "5"), null)))
        .containsExactly("resources.requests.cpu 5 is above the maximum 4");
  }

  @Test
  void refusesOtherResourcesAndSections() {
    assertThat(
            POLICY.problems(
                Map.of(
                    "requests", Map.of("gpu", "1"),
                    "limits", Map.of("ephemeral-storage", "1Gi"),
                    "claims", Map.of())))
        .containsExactlyInAnyOrder(
            "resources.claims is not allowed: only requests and limits may be set",
            "resources.requests.gpu is not allowed: only cpu and memory may be set",
            "resources.limits.ephemeral-storage is not allowed: only cpu and memory may be set");
  }

  @Test
  void refusesWhatIsNoPositiveQuantity() {
    Map<String, String> limits = new LinkedHashMap<>();
    limits.put("cpu", "two");
    limits.put("memory", null);
    assertThat(POLICY.problems(resources(Map.of("cpu", "0", "memory", "-1Gi"), limits)))
        .containsExactlyInAnyOrder(
            "resources.requests.cpu 0 must be more than 0",
            "resources.requests.memory -1Gi must be more than 0",
            "resources.limits.cpu 'two' is not a Kubernetes quantity (such as 500m or 2)",
            "resources.limits.memory 'null' is not a Kubernetes quantity (such as 256Mi or 1Gi)");
  }

  @Test
  void refusesARequestAboveItsLimit() {
    assertThatThrownBy(
            () -> POLICY.check(resources(Map.of("memory", "2Gi"), Map.of("memory", "1024Mi"))))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessage("resources.requests.memory 2Gi is above resources.limits.memory 1024Mi");
  }

  @Test
  void theMaximumComesFromTheEnvironmentOrTheDefault() {
    ResourcePolicy small =
        ResourcePolicy.fromEnv(
            EnvSettings.of(Map.of("TASK_MAX_CPU", "1", "TASK_MAX_MEMORY", "1Gi")));
    assertThat(small.maxCpu()).isEqualTo("1");
    assertThat(small.problems(resources(null, Map.of("cpu", "2", "memory", "2Gi"))))
        .containsExactlyInAnyOrder(
            "resources.limits.cpu 2 is above the maximum 1",
            "resources.limits.memory 2Gi is above the maximum 1Gi");
    ResourcePolicy unset = ResourcePolicy.fromEnv(EnvSettings.of(Map.of()));
    assertThat(unset.maxCpu()).isEqualTo("4");
    assertThat(unset.maxMemory()).isEqualTo("8Gi");
    assertThatThrownBy(
            () -> ResourcePolicy.fromEnv(EnvSettings.of(Map.of("TASK_MAX_MEMORY", "8GB"))))
        .hasMessageContaining("TASK_MAX_MEMORY must be a positive Kubernetes quantity");
    assertThatThrownBy(() -> ResourcePolicy.fromEnv(EnvSettings.of(Map.of("TASK_MAX_CPU", "0"))))
        .hasMessageContaining("TASK_MAX_CPU must be");
  }

  @Test
  void aTasksOwnAmountsGoOverTheDefaultsWithEachLimitAtLeastItsRequest() {
    Resources defaults =
        new Resources(
            Map.of("cpu", "500m", "memory", "256Mi"), Map.of("cpu", "2", "memory", "2Gi"));

    Resources bigger = new Resources(Map.of("cpu", "3", "memory", "4Gi"), null).over(defaults);
    assertThat(bigger.requests()).isEqualTo(Map.of("cpu", "3", "memory", "4Gi"));
    assertThat(bigger.limits()).isEqualTo(Map.of("cpu", "3", "memory", "4Gi"));

    Resources smaller = new Resources(null, Map.of("cpu", "250m", "memory", "1Gi")).over(defaults);
    assertThat(smaller.requests()).isEqualTo(Map.of("cpu", "250m", "memory", "256Mi"));
    assertThat(smaller.limits()).isEqualTo(Map.of("cpu", "250m", "memory", "1Gi"));

    assertThat(new Resources(null, null).over(defaults)).isEqualTo(defaults);
  }
}
