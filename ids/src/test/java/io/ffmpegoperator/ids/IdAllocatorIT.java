package io.ffmpegoperator.ids;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.dev.kube.EmbeddedKubernetes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ids against an API server that refuses a write naming an old version, as a real one does. */
class IdAllocatorIT {
  @TempDir Path dir;

  @Test
  void concurrentWritersGetEveryIdOnceAndCountersAreSeparate() throws Exception {
    try (EmbeddedKubernetes kube = EmbeddedKubernetes.start(dir, 0)) {
      // Two replicas' worth of writers, each with its own allocator, all on one counter.
      List<Callable<Long>> calls = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        IdAllocator ids = new IdAllocator(kube.client(), EmbeddedKubernetes.NAMESPACE);
        calls.add(() -> ids.next(IdAllocator.VIDEOS));
      }
      ExecutorService writers = Executors.newFixedThreadPool(8);
      List<Long> handedOut = new ArrayList<>();
      try {
        for (Future<Long> id : writers.invokeAll(calls)) {
          handedOut.add(id.get());
        }
      } finally {
        writers.shutdownNow();
      }

      assertThat(handedOut)
          .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 60).boxed().toList());
      IdAllocator ids = new IdAllocator(kube.client(), EmbeddedKubernetes.NAMESPACE);
      assertThat(ids.next(IdAllocator.VIDEO_JOBS)).isEqualTo(1);
      assertThat(ids.next(IdAllocator.VIDEOS)).isEqualTo(61);
    }
  }
}
