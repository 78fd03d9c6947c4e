package io.ffmpegoperator.bridge.library;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ffmpegoperator.bridge.store.Stores;
import io.ffmpegoperator.ids.FileNameClaims;
import io.ffmpegoperator.ids.IdAllocator;
import io.ffmpegoperator.policy.MediaPolicy;
import io.ffmpegoperator.storage.S3Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.glassfish.jersey.inject.hk2.AbstractBinder;

/**
 * The video library API put together: its resources, and the parts they are given (uploads, job
 * planning, execute), made once per bridge.
 */
public final class VideoLibrary {
  /** The library's endpoints, in the order the API document lists them. */
  public static final List<Class<?>> RESOURCES =
      List.of(
          VideoJobResource.class,
          VideoProcessResource.class,
          VideoResource.class,
          LibraryFileResource.class);

  private VideoLibrary() {}

  /**
   * What the library's resources are given, for Jersey to inject.
   *
   * @param client used for the ids and file names of new videos, in {@code namespace}
   * @param executeTimeout how long an execute waits for its jobs
   * @param maxWaitingExecutes how many executes may wait at once (each holds a request thread)
   */
  public static AbstractBinder binder(
      KubernetesClient client,
      String namespace,
      Stores stores,
      S3Storage storage,
      MediaTools tools,
      MediaPolicy mediaPolicy,
      Duration executeTimeout,
      int maxWaitingExecutes,
      Clock clock) {
    VideoUploads uploads =
        new VideoUploads(
            stores.videos(),
            new IdAllocator(client, namespace),
            storage,
            new UploadValidator(
                tools.ffprobe(),
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                mediaPolicy),
            new FileNameClaims(client, namespace, clock),
            stores.uploadDir());
    VideoJobPlanner planner = new VideoJobPlanner(stores.videos(), tools::encoders);
    IdempotentJobs keys = new IdempotentJobs(stores.videoJobs(), clock);
    JobExecution execution =
        new JobExecution(stores.videoJobs(), keys, executeTimeout, maxWaitingExecutes);
    return new AbstractBinder() {
      @Override
      protected void configure() {
        bind(uploads).to(VideoUploads.class);
        bind(planner).to(VideoJobPlanner.class);
        bind(execution).to(JobExecution.class);
        bind(keys).to(IdempotentJobs.class);
      }
    };
  }
}
