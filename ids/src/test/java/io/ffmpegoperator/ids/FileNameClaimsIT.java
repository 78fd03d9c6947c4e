package io.ffmpegoperator.ids;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.ffmpegoperator.dev.kube.EmbeddedKubernetes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File names against an API server that refuses a write naming an old version. */
class FileNameClaimsIT {
  private static final Instant AT = Instant.parse("2024-09-10T16:18:24.700Z");
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final FileNameClaims.NameShape CLIP =
      (at, copy) -> "clip_" + SECOND.format(at) + (copy == 1 ? "" : "_" + copy) + ".mp4";

  @TempDir Path dir;

  @Test
  void concurrentClaimsOfOneNameInOneSecondGetEachCopyOnce() throws Exception {
    try (EmbeddedKubernetes kube = EmbeddedKubernetes.start(dir, 0)) {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        FileNameClaims claims =
            new FileNameClaims(
                kube.client(), EmbeddedKubernetes.NAMESPACE, Clock.fixed(AT, ZoneOffset.UTC));
        calls.add(() -> claims.claim(CLIP, name -> false));
      }
      ExecutorService writers = Executors.newFixedThreadPool(8);
      List<String> handedOut = new ArrayList<>();
      try {
        for (Future<String> name : writers.invokeAll(calls)) {
          handedOut.add(name.get());
        }
      } finally {
        writers.shutdownNow();
      }
      assertThat(handedOut)
          .containsExactlyInAnyOrderElementsOf(
              IntStream.rangeClosed(1, 40).mapToObj(copy -> CLIP.name(AT, copy)).toList());
      assertThat(handedOut).contains("clip_20240910161824.mp4", "clip_20240910161824_40.mp4");
    }
  }

  @Test
  void takenNamesAreSkippedAndOldSecondsForgotten() throws Exception {
    try (EmbeddedKubernetes kube = EmbeddedKubernetes.start(dir, 0)) {
      FileNameClaims now =
          new FileNameClaims(
              kube.client(), EmbeddedKubernetes.NAMESPACE, Clock.fixed(AT, ZoneOffset.UTC));
      // An object of the first name exists already (an older version, or made by hand).
      Predicate<String> existing = "clip_20240910161824.mp4"::equals;
      assertThat(now.claim(CLIP, existing)).isEqualTo("clip_20240910161824_2.mp4");
      assertThat(now.claim(CLIP, existing)).isEqualTo("clip_20240910161824_3.mp4");
      assertThat(now.claim((at, copy) -> "other_" + copy, name -> false)).isEqualTo("other_1");

      Instant later = AT.plus(FileNameClaims.KEEP).plus(Duration.ofSeconds(1));
      FileNameClaims then =
          new FileNameClaims(
              kube.client(), EmbeddedKubernetes.NAMESPACE, Clock.fixed(later, ZoneOffset.UTC));
      assertThat(then.claim(CLIP, name -> false)).isEqualTo(CLIP.name(later, 1));
      ConfigMap kept =
          kube.client()
              .configMaps()
              .inNamespace(EmbeddedKubernetes.NAMESPACE)
              .withName(FileNameClaims.CONFIG_MAP)
              .get();
      assertThat(kept.getData()).containsOnlyKeys(SECOND.format(later));
    }
  }
}
