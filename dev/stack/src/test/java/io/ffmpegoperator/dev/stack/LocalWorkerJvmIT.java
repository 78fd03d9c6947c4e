package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.ffmpegoperator.dev.node.LocalImage;
import io.ffmpegoperator.dev.s3.EmbeddedS3;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.protocol.WorkerExitCodes;
import io.ffmpegoperator.storage.S3Settings;
import io.ffmpegoperator.storage.S3Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local worker JVM: only the worker's jars, and a class archive that a JVM really maps. */
class LocalWorkerJvmIT {
  @TempDir Path dir;

  @Test
  void runsOnTheWorkersOwnJarsOnly() {
    List<Path> jars =
        LocalWorkerJvm.workerJars(System.getProperty("java.class.path")).orElseThrow();

    List<String> names = jars.stream().map(jar -> jar.getFileName().toString()).toList();
    assertThat(names)
        .anyMatch(name -> name.startsWith("worker-"))
        .anyMatch(name -> name.startsWith("protocol-"))
        .anyMatch(name -> name.startsWith("policy-"))
        .anyMatch(name -> name.startsWith("media-"))
        .anyMatch(name -> name.startsWith("jackson-databind-"))
        .anyMatch(name -> name.startsWith("httpclient5-"))
        // What the stack needs but a worker does not: the worker never sees a resource.
        .noneMatch(name -> name.startsWith("crds-"))
        .noneMatch(name -> name.startsWith("kubernetes-model-core-"))
        .noneMatch(name -> name.startsWith("s3proxy-"))
        .noneMatch(name -> name.startsWith("operator-framework-"))
        .noneMatch(name -> name.startsWith("kubernetes-server-mock-"))
        .noneMatch(name -> name.startsWith("jersey-server-"));
    // One Jackson: the stack's classpath also holds Jackson 3, whose artifactIds are the same.
    assertThat(names)
        .filteredOn(name -> name.startsWith("jackson-databind-"))
        .singleElement()
        .satisfies(name -> assertThat(name).startsWith("jackson-databind-2."));
    assertThat(jars).doesNotHaveDuplicates();
  }

  @Test
  void trainsAnArchiveOnceThatTheWorkerJvmMaps() throws Exception {
    FfmpegBinaries ffmpeg = LocalFfmpeg.find(System.getenv());
    try (EmbeddedS3 s3 =
            EmbeddedS3.start(dir.resolve("s3"), 0, StackConfig.ACCESS_KEY, StackConfig.SECRET_KEY);
        S3Storage storage =
            new S3Storage(
                new S3Settings(
                    "training",
                    S3Settings.DEFAULT_REGION,
                    s3.endpoint(),
                    StackConfig.ACCESS_KEY,
                    StackConfig.SECRET_KEY))) {
      storage.ensureBucket();
      SampleMedia.ensure(storage, ffmpeg, dir.resolve("scratch"));
      Path cache = dir.resolve("cache");

      LocalImage image = LocalWorkerJvm.trainedImage(ffmpeg, storage, SampleMedia.KEY, cache);

      Path archive = onlyArchive(cache);
      assertThat(image.entrypoint()).contains("-XX:SharedArchiveFile=" + archive);
      // -Xshare:on makes a JVM that cannot map the archive refuse to start; with no work order
      // the worker itself answers "setup failed".
      assertThat(exitCodeWithSharingRequired(image)).isEqualTo(WorkerExitCodes.SETUP_FAILED);
      // The training left nothing behind in storage but the sample.
      assertThat(storage.client().listObjectsV2(r -> r.bucket("training")).contents())
          .singleElement()
          .satisfies(object -> assertThat(object.key()).isEqualTo(SampleMedia.KEY));

      LocalWorkerJvm.trainedImage(ffmpeg, storage, SampleMedia.KEY, cache);
      assertThat(onlyArchive(cache)).isEqualTo(archive);
    }
  }

  private static Path onlyArchive(Path cache) throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      List<Path> all = files.toList();
      assertThat(all).singleElement().satisfies(f -> assertThat(f.toString()).endsWith(".jsa"));
      return all.get(0);
    }
  }

  private int exitCodeWithSharingRequired(LocalImage image) throws Exception {
    List<String> command = new ArrayList<>(image.entrypoint());
    command.add(1, "-Xshare:on");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("worker.log").toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }
}
