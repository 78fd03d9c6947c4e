package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the operator's container: configuration from the environment, in-cluster API. */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) {
    OperatorConfig config = OperatorConfig.fromEnv(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    S3Storage storage = new S3Storage(S3Settings.fromEnv(System.getenv()));
    Operator operator = FfmpegOperator.create(client, storage, config);
    operator.installShutdownHook(Duration.ofSeconds(10));
    operator.start();
    LOG.info(
        "ffmpeg-operator started; watching {}",
        config.namespaces().isEmpty() ? "all namespaces" : config.namespaces());
  }
}
