package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiscoveryDocumentsTest {

  private final DiscoveryDocuments discovery = new DiscoveryDocuments(ResourceType.BUILT_IN);

  @Test
  void knowsWhichPathsAreDiscovery() {
    assertThat(DiscoveryDocuments.isDiscoveryPath("/version?timeout=32s")).isTrue();
    assertThat(DiscoveryDocuments.isDiscoveryPath("/api")).isTrue();
    assertThat(DiscoveryDocuments.isDiscoveryPath("/api/v1?timeout=32s")).isTrue();
    assertThat(DiscoveryDocuments.isDiscoveryPath("/apis/batch/v1")).isTrue();
    assertThat(DiscoveryDocuments.isDiscoveryPath("/api/v1/pods")).isFalse();
    assertThat(DiscoveryDocuments.isDiscoveryPath("/apis/batch/v1/jobs")).isFalse();
  }

  @Test
  void listsBuiltInGroupsAndResources() {
    assertThat(discovery.answer("/apis").orElseThrow())
        .contains("\"batch/v1\"", "\"coordination.k8s.io/v1\"", "\"apiextensions.k8s.io/v1\"");
    assertThat(discovery.answer("/apis/batch/v1?timeout=32s").orElseThrow())
        .contains("\"jobs\"", "\"jobs/status\"", "\"Job\"");
    assertThat(discovery.answer("/apis/batch").orElseThrow()).contains("\"preferredVersion\"");
    assertThat(discovery.answer("/apis/apps/v1")).isEmpty();
  }
}
