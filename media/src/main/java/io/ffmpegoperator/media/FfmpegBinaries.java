package io.ffmpegoperator.media;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where the ffmpeg and ffprobe executables are: {@code FFMPEG_PATH}/{@code FFPROBE_PATH}, else the
 * first match on {@code PATH}, else the bare name (so the error names the missing program).
 *
 * @param ffmpeg the ffmpeg executable
 * @param ffprobe the ffprobe executable
 */
public record FfmpegBinaries(Path ffmpeg, Path ffprobe) {

  /** Environment variable naming the ffmpeg executable. */
  public static final String FFMPEG_PATH = "FFMPEG_PATH";

  /** Environment variable naming the ffprobe executable. */
  public static final String FFPROBE_PATH = "FFPROBE_PATH";

  private static final long VERSION_TIMEOUT_SECONDS = 10;

  /** Finds both executables from the given environment (usually {@code System.getenv()}). */
  public static FfmpegBinaries fromEnv(Map<String, String> env) {
    return new FfmpegBinaries(
        locate(env, FFMPEG_PATH, "ffmpeg"), locate(env, FFPROBE_PATH, "ffprobe"));
  }

  /** Whether {@code ffmpeg -version} runs and exits 0 within a few seconds. */
  public boolean ffmpegInstalled() {
    return versionRuns(ffmpeg);
  }

  /** Whether {@code ffprobe -version} runs and exits 0 within a few seconds. */
  public boolean ffprobeInstalled() {
    return versionRuns(ffprobe);
  }

  private static boolean versionRuns(Path executable) {
    try {
      Process process =
          new ProcessBuilder(executable.toString(), "-version")
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Path locate(Map<String, String> env, String variable, String name) {
    String explicit = env.get(variable);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    return onPath(env.getOrDefault("PATH", ""), name).orElse(Path.of(name));
  }

  private static Optional<Path> onPath(String searchPath, String name) {
    for (String dir : searchPath.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
