package io.ffmpegoperator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The webhook signing secret: generated on install, kept on upgrade, given to the operator. */
class WebhookSecretTest {
  private static final String NAME = "media-ffmpeg-operator-webhook";

  @Test
  void installGeneratesOneRandomSecretThatTheOperatorReads() {
    var resources = Chart.render(null);
    Secret first = Chart.named(resources, Secret.class, "-webhook");
    Secret second = Chart.named(Chart.render(null), Secret.class, "-webhook");

    assertThat(first.getMetadata().getName()).isEqualTo(NAME);
    assertThat(first.getMetadata().getAnnotations())
        .containsEntry("helm.sh/resource-policy", "keep");
    assertThat(first.getData()).containsOnlyKeys("webhook-secret");
    assertThat(decode(first.getData().get("webhook-secret"))).matches("[A-Za-z0-9]{48}");
    assertThat(second.getData()).isNotEqualTo(first.getData());
    EnvVar env = webhookEnv(Chart.named(resources, Deployment.class, "-operator"));
    assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo(NAME);
    assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("webhook-secret");
  }

  @Test
  void upgradeKeepsTheExistingSecret() {
    var secrets = Chart.lookupServer().client.secrets().inNamespace(Chart.NAMESPACE);
    String kept = Base64.getEncoder().encodeToString("kept".getBytes(StandardCharsets.UTF_8));
    secrets
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(NAME)
                .endMetadata()
                .withData(Map.of("webhook-secret", kept))
                .build())
        .create();
    try {
      assertThat(Chart.named(Chart.render(null), Secret.class, "-webhook").getData())
          .isEqualTo(Map.of("webhook-secret", kept));
    } finally {
      secrets.withName(NAME).delete();
    }
  }

  @Test
  void anExistingSecretIsReadAndNoneIsMade() {
    var resources = Chart.render(Chart.NAMESPACED_VALUES);

    assertThat(Chart.ofType(resources, Secret.class)).isEmpty();
    EnvVar env = webhookEnv(Chart.named(resources, Deployment.class, "-operator"));
    assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("media-webhook");
  }

  private static EnvVar webhookEnv(Deployment operator) {
    return Workloads.container(operator).getEnv().stream()
        .filter(e -> e.getName().equals("WEBHOOK_SECRET"))
        .findFirst()
        .orElseThrow();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
