package io.ffmpegoperator.worker;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.bytedeco.javacpp.Loader;

/**
 * Real ffmpeg and ffprobe for tests, from the org.bytedeco:ffmpeg jar, plus tiny test media.
 *
 * <p>The jar's libavdevice links libpulse.so.0. Where that library is installed, javacpp's {@code
 * Loader.load} extracts working executables. Where it is not (it fails with UnsatisfiedLinkError),
 * the executables are extracted by hand next to an empty stand-in libpulse (built with gcc, never
 * called: ffmpeg touches PulseAudio only for its pulse device) and reached through wrapper scripts
 * that set LD_LIBRARY_PATH.
 */
final class TestingFfmpeg {
  private static final String NATIVE_DIR = "org/bytedeco/ffmpeg/linux-x86_64-gpl/";
  private static final Path HOME = Path.of("target", "testing-ffmpeg").toAbsolutePath();
  private static FfmpegBinaries binaries;

  private TestingFfmpeg() {}

  /** Working ffmpeg and ffprobe executables. */
  static synchronized FfmpegBinaries binaries() throws Exception {
    if (binaries == null) {
      binaries = load();
    }
    return binaries;
  }

  /** A small H.264 test pattern (160x120, 10 fps, yuv420p) of {@code seconds} seconds. */
  static synchronized Path testVideo(int seconds) throws Exception {
    Path video = HOME.resolve("testsrc-" + seconds + "s.mp4");
    if (!Files.exists(video)) {
      Path partial = HOME.resolve("partial-" + video.getFileName());
      run(
          List.of(
              binaries().ffmpeg().toString(),
              "-hide_banner",
              "-nostdin",
              "-y",
              "-loglevel",
              "error",
              "-f",
              "lavfi",
              "-i",
              "testsrc=duration=" + seconds + ":size=160x120:rate=10",
              "-pix_fmt",
              "yuv420p",
              "-c:v",
              "libx264",
              "-preset",
              "ultrafast",
              partial.toString()));
      Files.move(partial, video, StandardCopyOption.ATOMIC_MOVE);
    }
    return video;
  }

  private static FfmpegBinaries load() throws Exception {
    try {
      return new FfmpegBinaries(
          Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class)),
          Path.of(Loader.load(org.bytedeco.ffmpeg.ffprobe.class)));
    } catch (LinkageError e) {
      return extractWithStandIn();
    }
  }

  private static FfmpegBinaries extractWithStandIn() throws Exception {
    Path lib = HOME.resolve("lib");
    Files.createDirectories(lib);
    URL url = TestingFfmpeg.class.getClassLoader().getResource(NATIVE_DIR + "ffmpeg");
    if (url == null) {
      throw new IllegalStateException(
          "org.bytedeco:ffmpeg:linux-x86_64-gpl is not on the classpath");
    }
    try (JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile()) {
      for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
        if (!entry.isDirectory() && entry.getName().startsWith(NATIVE_DIR)) {
          Path target = lib.resolve(entry.getName().substring(NATIVE_DIR.length()));
          try (InputStream in = jar.getInputStream(entry)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          }
          target.toFile().setExecutable(true);
        }
      }
    }
    Path standIn = lib.resolve("libpulse.so.0");
    if (!Files.exists(standIn)) {
      Path map = HOME.resolve("libpulse.map");
      Files.writeString(map, "PULSE_0 { };\n");
      run(
          List.of(
              "gcc",
              "-shared",
              "-fPIC",
              "-nostdlib",
              "-Wl,-soname,libpulse.so.0",
              "-Wl,--version-script=" + map,
              "-o",
              standIn.toString(),
              "-x",
              "c",
              "/dev/null"));
    }
    return new FfmpegBinaries(wrapper(lib, "ffmpeg"), wrapper(lib, "ffprobe"));
  }

  private static Path wrapper(Path lib, String name) throws IOException {
    Path script = HOME.resolve(name);
    Files.writeString(
        script,
        "#!/bin/sh\nLD_LIBRARY_PATH='" + lib + "' exec '" + lib.resolve(name) + "' \"$@\"\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(command.get(0) + " failed: " + output);
    }
  }
}
