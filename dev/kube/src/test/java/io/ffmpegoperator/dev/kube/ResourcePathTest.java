package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourcePathTest {

  @Test
  void parsesNamespacedObjectsWithSubresourceAndQuery() {
    assertThat(ResourcePath.parse("/apis/batch/v1/namespaces/default/jobs/j1/status?x=1"))
        .contains(new ResourcePath("batch", "v1", "default", "jobs", "j1", "status"));
    assertThat(ResourcePath.parse("/api/v1/namespaces/default/pods"))
        .contains(new ResourcePath("", "v1", "default", "pods", null, null));
  }

  @Test
  void parsesClusterScopedObjects() {
    assertThat(ResourcePath.parse("/api/v1/namespaces/default"))
        .contains(new ResourcePath("", "v1", null, "namespaces", "default", null));
    assertThat(ResourcePath.parse("/api/v1/namespaces/default/status"))
        .contains(new ResourcePath("", "v1", null, "namespaces", "default", "status"));
    assertThat(ResourcePath.parse("/apis/apiextensions.k8s.io/v1/customresourcedefinitions"))
        .contains(
            new ResourcePath(
                "apiextensions.k8s.io", "v1", null, "customresourcedefinitions", null, null));
  }

  @Test
  void discoveryAndOtherPathsAreNoResources() {
    assertThat(ResourcePath.parse("/api/v1")).isEmpty();
    assertThat(ResourcePath.parse("/apis/batch/v1")).isEmpty();
    assertThat(ResourcePath.parse("/version")).isEmpty();
  }

  @Test
  void buildsPathsBack() {
    ResourcePath job = ResourcePath.ofObject("batch/v1", "default", "jobs", "j1");
    assertThat(job.itemPath()).isEqualTo("/apis/batch/v1/namespaces/default/jobs/j1");
    assertThat(ResourcePath.ofObject("v1", null, "namespaces", "x").itemPath())
        .isEqualTo("/api/v1/namespaces/x");
    assertThat(ResourcePath.parse(job.itemPath())).contains(job);
  }
}
