package io.ffmpegoperator.dev.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.dev.ffmpeg.Directories;
import io.ffmpegoperator.dev.node.LocalImage;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.policy.InvalidTaskException;
import io.ffmpegoperator.policy.TaskCommand;
import io.ffmpegoperator.protocol.RunLimits;
import io.ffmpegoperator.protocol.WorkOrder;
import io.ffmpegoperator.storage.S3Storage;
import io.ffmpegoperator.worker.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a local node runs the worker image: {@link WorkerMain} in a JVM of this process's Java, set
 * up to start fast, because a small task's time is mostly its worker's start.
 *
 * <p>Besides JIT and GC flags for a short-lived process, the JVM maps a class data sharing archive
 * of the worker's classes (AppCDS), which roughly halves its start. The archive belongs to one Java
 * and one exact set of jars, so it is made here, on first use, by a training run of the worker on a
 * real work order against the stack's own S3, and kept under {@code
 * ~/.cache/ffmpeg-operator/worker-cds/} by a key of the Java and the jars (their paths, sizes and
 * times). Without the archive (the worker's jars are not all on this process's classpath, or the
 * training failed) the worker runs the same, only slower.
 */
final class LocalWorkerJvm {
  private static final Logger LOG = LoggerFactory.getLogger(LocalWorkerJvm.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The worker's runtime jars as its build lists them. */
  private static final String RUNTIME_JARS = "runtime-jars.txt";

  private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(2);

  /**
   * Archives kept in the cache after a training, the new one included. Every rebuild of the
   * worker's jars makes a new one (about 11 MB), and checkouts side by side share the cache; a JVM
   * whose archive was deleted starts without one (slower, not broken), and its stack trains again
   * at its next start.
   */
  static final int ARCHIVES_KEPT = 3;

  /** Flags of every worker JVM: a short-lived process that mostly waits for ffmpeg. */
  private static final List<String> FLAGS =
      List.of(
          // The C1 compiler only: C2 would compile too late to pay back.
          "-XX:TieredStopAtLevel=1",
          // No concurrent GC threads to start; the heap stays small.
          "-XX:+UseSerialGC",
          "-Xss512k",
          // A local node has no `kubectl logs --timestamps`: the lines carry their own time.
          "-Dorg.slf4j.simpleLogger.showDateTime=true",
          "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
          "-Dorg.slf4j.simpleLogger.showShortLogName=true");

  private LocalWorkerJvm() {}

  /** The worker image without a class archive, on this process's whole classpath. */
  static LocalImage image(FfmpegBinaries ffmpeg) {
    return image(ffmpeg, System.getProperty("java.class.path"), List.of());
  }

  /**
   * The worker image on the worker's own jars with their class archive, made now if there is none
   * yet (a few seconds, once per build of the jars); falls back to {@link #image(FfmpegBinaries)}.
   *
   * @param storage the stack's S3, which the training run reads from and writes to
   * @param sampleKey a small clip in that storage for the training run to work on
   */
  static LocalImage trainedImage(
      FfmpegBinaries ffmpeg, S3Storage storage, String sampleKey, Path cacheDir) {
    Optional<List<Path>> jars = workerJars(System.getProperty("java.class.path"));
    if (jars.isEmpty()) {
      LOG.info(
          "Worker JVMs run on the whole classpath without a class archive: the worker's jars are"
              + " not all on it");
      return image(ffmpeg);
    }
    String classpath = join(jars.get());
    Path archive = cacheDir.resolve("worker-" + key(jars.get()) + ".jsa");
    if (!Files.isRegularFile(archive)) {
      try {
        train(ffmpeg, classpath, archive, storage, sampleKey);
        pruneArchives(cacheDir);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Worker JVMs start without a class archive: training failed: {}", e.getMessage());
        return image(ffmpeg);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return image(ffmpeg);
      }
    }
    return image(ffmpeg, classpath, List.of("-XX:SharedArchiveFile=" + archive));
  }

  /**
   * Deletes all but the {@value #ARCHIVES_KEPT} newest archives in {@code cacheDir}; a failure only
   * leaves files behind.
   */
  static void pruneArchives(Path cacheDir) {
    List<Path> archives;
    try (Stream<Path> files = Files.list(cacheDir)) {
      archives =
          files
              .filter(f -> f.getFileName().toString().matches("worker-[0-9a-f]+\\.jsa"))
              .sorted(Comparator.comparing(LocalWorkerJvm::lastModified).reversed())
              .toList();
    } catch (IOException e) {
      LOG.warn("Older worker class archives not deleted: {}", e.toString());
      return;
    }
    for (Path old : archives.subList(Math.min(ARCHIVES_KEPT, archives.size()), archives.size())) {
      try {
        Files.deleteIfExists(old);
        LOG.info("Deleted an older worker class archive: {}", old);
      } catch (IOException e) {
        LOG.warn("Older worker class archive not deleted: {}", e.toString());
      }
    }
  }

  private static FileTime lastModified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return FileTime.fromMillis(0); // gone meanwhile: the first to go
    }
  }

  private static LocalImage image(FfmpegBinaries ffmpeg, String classpath, List<String> more) {
    return new LocalImage(command(classpath, more), List.of(), Map.of(), null)
        .withEnv(FfmpegBinaries.FFMPEG_PATH, ffmpeg.ffmpeg().toString())
        .withEnv(FfmpegBinaries.FFPROBE_PATH, ffmpeg.ffprobe().toString());
  }

  private static List<String> command(String classpath, List<String> more) {
    List<String> java = new ArrayList<>();
    java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    java.addAll(FLAGS);
    java.addAll(more);
    java.add("-cp");
    java.add(classpath);
    java.add(WorkerMain.class.getName());
    return java;
  }

  /**
   * The worker's jars on {@code classpath}: its own, then each runtime dependency its build lists
   * (by artifactId, the first jar of that name in whichever version this classpath has), in
   * classpath order. Empty when one is missing or a directory (an IDE's build output): class data
   * sharing cannot archive from directories, and the worker then runs on the whole classpath.
   */
  static Optional<List<Path>> workerJars(String classpath) {
    Optional<List<String>> artifactIds = runtimeArtifactIds();
    Path own = jarOf(WorkerMain.class);
    if (artifactIds.isEmpty() || own == null) {
      return Optional.empty();
    }
    Set<String> missing = new HashSet<>(artifactIds.get());
    List<Path> jars = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      String file = path.getFileName().toString();
      String artifactId =
          artifactIds.get().stream().filter(a -> isJarOf(a, file)).findFirst().orElse(null);
      // Only the first jar of an artifactId: another group may reuse the name (Jackson 3's
      // jackson-databind beside Jackson 2's on the stack's classpath), and the worker needs one.
      if (path.equals(own)
          || (artifactId != null && Files.isRegularFile(path) && missing.remove(artifactId))) {
        jars.add(path);
      }
    }
    return missing.isEmpty() && jars.contains(own) ? Optional.of(jars) : Optional.empty();
  }

  /** Whether {@code file} is a jar of {@code artifactId}: {@code <artifactId>-<version>.jar}. */
  private static boolean isJarOf(String artifactId, String file) {
    return file.length() > artifactId.length() + 5
        && file.startsWith(artifactId + "-")
        && Character.isDigit(file.charAt(artifactId.length() + 1))
        && file.endsWith(".jar");
  }

  private static Path jarOf(Class<?> type) {
    try {
      Path location =
          Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toAbsolutePath();
      return location.toString().endsWith(".jar") && Files.isRegularFile(location)
          ? location
          : null;
    } catch (Exception e) {
      return null;
    }
  }

  /** From the worker jar's {@value #RUNTIME_JARS}: {@code lib/<artifactId>.jar}, ':'-separated. */
  private static Optional<List<String>> runtimeArtifactIds() {
    try (InputStream in = WorkerMain.class.getResourceAsStream(RUNTIME_JARS)) {
      if (in == null) {
        return Optional.empty();
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return Optional.of(
          Arrays.stream(text.split(":"))
              .filter(name -> !name.isBlank())
              .map(name -> Path.of(name).getFileName().toString().replaceFirst("\\.jar$", ""))
              .toList());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Names the Java and the exact jar files, which is what an archive is only valid for. */
  private static String key(List<Path> jars) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(System.getProperty("java.home").getBytes(StandardCharsets.UTF_8));
      sha.update(System.getProperty("java.vm.version").getBytes(StandardCharsets.UTF_8));
      for (Path jar : jars) {
        String stamp =
            jar + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis() + "\n";
        sha.update(stamp.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs the worker once on a copy of a real task (the sample, its first half second copied) with
   * the JVM writing the classes it loaded to {@code archive}. Its objects in storage are deleted
   * after; the archive appears atomically, so concurrent stacks never read half of one.
   */
  private static void train(
      FfmpegBinaries ffmpeg, String classpath, Path archive, S3Storage storage, String sampleKey)
      throws IOException, InterruptedException {
    long started = System.nanoTime();
    Files.createDirectories(archive.getParent());
    Path work = Files.createTempDirectory(archive.getParent(), "training-");
    String prefix = "worker-cds-training/" + UUID.randomUUID() + "/";
    Path partial = work.resolve("archive.jsa");
    try {
      Duration lifetime = TRAINING_TIMEOUT.multipliedBy(2);
      WorkOrder order = trainingOrder(storage, sampleKey, prefix, lifetime);
      List<String> command =
          command(classpath, List.of("-XX:ArchiveClassesAtExit=" + partial, "-Xlog:cds=off"));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("training.log").toFile());
      Map<String, String> env = builder.environment();
      env.put(WorkOrder.ENV, JSON.writeValueAsString(order));
      env.put(WorkerMain.WORK_DIR, work.resolve("pod").toString());
      env.put(FfmpegBinaries.FFMPEG_PATH, ffmpeg.ffmpeg().toString());
      env.put(FfmpegBinaries.FFPROBE_PATH, ffmpeg.ffprobe().toString());
      Process process = builder.start();
      if (!process.waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("the training run took longer than " + TRAINING_TIMEOUT);
      }
      if (process.exitValue() != 0 || !Files.isRegularFile(partial)) {
        throw new IOException(
            "the training run exited " + process.exitValue() + "; see its log: " + tail(work));
      }
      try {
        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
      }
      LOG.info(
          "Worker class archive made in {} ms: {}",
          (System.nanoTime() - started) / 1_000_000,
          archive);
    } finally {
      for (String key : List.of("report.json", "out.mp4")) {
        storage.delete(prefix + key);
      }
      try {
        Directories.deleteTree(work);
      } catch (IOException e) {
        // a leftover in the cache folder is harmless
      }
    }
  }

  private static WorkOrder trainingOrder(
      S3Storage storage, String sampleKey, String prefix, Duration lifetime) {
    String input = "s3://" + storage.bucket() + "/" + sampleKey;
    TaskCommand.Request spec =
        new TaskCommand.Request(
            "-i in_1 -t 0.5 -c copy out_1", Map.of("in_1", input), Map.of("out_1", "out.mp4"));
    TaskCommand command;
    try {
      command = TaskCommand.parse(spec, storage.bucket());
    } catch (InvalidTaskException e) {
      throw new IllegalStateException("the training command is not valid: " + e.getMessage(), e);
    }
    String inputPath = TaskCommand.inputPath("in_1", input);
    String outputPath = TaskCommand.outputPath("out.mp4");
    RunLimits limits = RunLimits.defaults();
    return new WorkOrder(
        "worker-cds-training",
        command.render(Map.of("in_1", inputPath), Map.of("out_1", outputPath), limits.media()),
        List.of(
            new WorkOrder.Input("in_1", storage.presignGet(sampleKey, lifetime), inputPath, true)),
        List.of(),
        List.of(
            new WorkOrder.Output(
                "out_1", outputPath, storage.presignPut(prefix + "out.mp4", lifetime))),
        storage.presignPut(prefix + "report.json", lifetime),
        limits,
        "");
  }

  private static String tail(Path work) {
    try {
      List<String> lines = Files.readAllLines(work.resolve("training.log"));
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static String join(List<Path> jars) {
    return String.join(File.pathSeparator, jars.stream().map(Path::toString).toList());
  }
}
