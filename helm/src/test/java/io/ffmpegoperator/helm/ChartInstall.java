package io.ffmpegoperator.helm;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rendered chart applied to an API server, and its containers' environment resolved. */
final class ChartInstall {
  /** The bucket the charts' tests store in. */
  static final String BUCKET = "media";

  /** The Secret {@link #install} creates with the S3 keys, which {@link #render} names. */
  private static final String S3_SECRET = "s3-credentials";

  private ChartInstall() {}

  /**
   * The chart rendered for tests: tasks in {@code tasksNamespace}, S3 at {@code s3Endpoint} (bucket
   * {@value #BUCKET}, keys from the Secret {@link #install} creates), plus {@code more}.
   */
  static List<HasMetadata> render(String tasksNamespace, URI s3Endpoint, Map<String, Object> more) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("watchNamespaces[0]", tasksNamespace);
    values.put("s3.bucket", BUCKET);
    values.put("s3.endpointUrl", s3Endpoint.toString());
    values.put("s3.pathStyle", "true");
    values.put("s3.existingSecret", S3_SECRET);
    values.putAll(more);
    return Chart.parse(Chart.templateWith(null, values));
  }

  /** CRDs first, then namespaces and the S3 Secret the chart refers to, then everything else. */
  static void install(
      KubernetesClient client,
      List<HasMetadata> manifests,
      String tasksNamespace,
      String accessKey,
      String secretKey) {
    for (CustomResourceDefinition crd : Chart.ofType(manifests, CustomResourceDefinition.class)) {
      client.resource(crd).createOr(NonDeletingOperation::update);
    }
    for (String namespace : List.of(Chart.NAMESPACE, tasksNamespace)) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .createOr(NonDeletingOperation::update);
    }
    client
        .secrets()
        .inNamespace(Chart.NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(S3_SECRET)
                .endMetadata()
                .addToStringData("AWS_ACCESS_KEY_ID", accessKey)
                .addToStringData("AWS_SECRET_ACCESS_KEY", secretKey)
                .build())
        .create();
    for (HasMetadata resource : manifests) {
      if (!(resource instanceof CustomResourceDefinition)
          && !resource.getKind().equals("ServiceMonitor")) {
        client.resource(resource).createOr(NonDeletingOperation::update);
      }
    }
  }

  /** The container's environment as the kubelet would give it: references resolved. */
  static Map<String, String> resolve(KubernetesClient client, List<EnvVar> vars) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : vars) {
      if (var.getValueFrom() == null) {
        env.put(var.getName(), var.getValue() == null ? "" : var.getValue());
      } else if (var.getValueFrom().getFieldRef() != null) {
        String field = var.getValueFrom().getFieldRef().getFieldPath();
        env.put(var.getName(), field.equals("metadata.namespace") ? Chart.NAMESPACE : "operator-0");
      } else if (var.getValueFrom().getSecretKeyRef() != null) {
        var ref = var.getValueFrom().getSecretKeyRef();
        Secret secret = client.secrets().inNamespace(Chart.NAMESPACE).withName(ref.getName()).get();
        String data =
            secret.getData() != null && secret.getData().containsKey(ref.getKey())
                ? new String(
                    Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
                    StandardCharsets.UTF_8)
                : secret.getStringData().get(ref.getKey());
        env.put(var.getName(), data);
      }
    }
    return env;
  }
}
