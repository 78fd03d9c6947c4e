package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bridge's API key Secret: generated on install, kept on upgrade, absent when one is given. */
class ApiKeysSecretTest {
  private static final String NAME = "media-ffmpeg-operator-api-keys";

  @Test
  void installGeneratesOneRandomKey() {
    Secret first = Chart.named(Chart.render(null), Secret.class, "-api-keys");
    Secret second = Chart.named(Chart.render(null), Secret.class, "-api-keys");

    assertThat(first.getMetadata().getName()).isEqualTo(NAME);
    assertThat(first.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(first.getMetadata().getAnnotations())
        .containsEntry("helm.sh/resource-policy", "keep");
    assertThat(first.getData()).containsOnlyKeys("api-key");
    assertThat(decode(first.getData().get("api-key"))).matches("[A-Za-z0-9]{40}");
    assertThat(second.getData().get("api-key")).isNotEqualTo(first.getData().get("api-key"));
  }

  @Test
  void upgradeKeepsTheKeysOfTheExistingSecret() {
    var secrets = Chart.lookupServer().client.secrets().inNamespace(Chart.NAMESPACE);
    String key = Base64.getEncoder().encodeToString("kept-key".getBytes(StandardCharsets.UTF_8));
    String added = Base64.getEncoder().encodeToString("added-key".getBytes(StandardCharsets.UTF_8));
    secrets
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(NAME)
                .endMetadata()
                .withData(Map.of("api-key", key, "second-key", added))
                .build())
        .create();
    try {
      Secret rendered = Chart.named(Chart.render(null), Secret.class, "-api-keys");

      assertThat(rendered.getData()).isEqualTo(Map.of("api-key", key, "second-key", added));
    } finally {
      secrets.withName(NAME).delete();
    }
  }

  @Test
  void existingSecretIsUsedAndNoneIsMade() {
    List<HasMetadata> resources = Chart.render(Chart.NAMESPACED_VALUES);

    assertThat(Chart.ofType(resources, Secret.class)).isEmpty();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
