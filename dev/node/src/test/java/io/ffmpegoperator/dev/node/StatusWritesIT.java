package io.ffmpegoperator.dev.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The conflict path of {@link StatusWrites}. The CRUD mock never answers 409 on a status PUT (it
 * keeps the stored resourceVersion), so this uses the mock's scripted answers instead.
 */
@EnableKubernetesMockClient
class StatusWritesIT {
  private static final String PATH = "/apis/batch/v1/namespaces/test/jobs/j";

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void aConflictIsRetriedOnAFreshRead() {
    server.expect().get().withPath(PATH).andReturn(200, job("1")).once();
    server.expect().get().withPath(PATH).andReturn(200, job("2")).once();
    server.expect().put().withPath(PATH + "/status").andReturn(409, conflict()).once();
    server.expect().put().withPath(PATH + "/status").andReturn(200, job("3")).once();
    AtomicInteger changes = new AtomicInteger();

    Job written =
        StatusWrites.update(
            jobs(),
            "j",
            j -> {
              changes.incrementAndGet();
              j.setStatus(new JobStatusBuilder().withActive(1).build());
              return j;
            });

    assertThat(changes).hasValue(2);
    assertThat(written.getMetadata().getResourceVersion()).isEqualTo("3");
  }

  @Test
  void otherErrorsAreNotRetried() {
    server.expect().get().withPath(PATH).andReturn(200, job("1")).once();
    server.expect().put().withPath(PATH + "/status").andReturn(422, "invalid").once();

    assertThatThrownBy(() -> StatusWrites.update(jobs(), "j", j -> j))
        .isInstanceOf(KubernetesClientException.class);
  }

  @Test
  void nothingToWriteMeansNoWrite() {
    server.expect().get().withPath(PATH).andReturn(200, job("1")).once();

    assertThat(StatusWrites.update(jobs(), "j", j -> null).getMetadata().getResourceVersion())
        .isEqualTo("1");
  }

  private NonNamespaceOperation<Job, JobList, ScalableResource<Job>> jobs() {
    return client.batch().v1().jobs().inNamespace("test");
  }

  private static Job job(String resourceVersion) {
    return new JobBuilder()
        .withNewMetadata()
        .withName("j")
        .withNamespace("test")
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .build();
  }

  private static Status conflict() {
    return new StatusBuilder()
        .withStatus("Failure")
        .withReason("Conflict")
        .withCode(409)
        .withMessage("the object has been modified")
        .build();
  }
}
