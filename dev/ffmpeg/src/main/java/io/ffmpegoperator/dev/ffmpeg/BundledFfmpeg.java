package io.ffmpegoperator.dev.ffmpeg;

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

/**
 * ffmpeg and ffprobe from the {@code org.bytedeco:ffmpeg} jar, for machines with only a JDK and
 * Maven. The executables and their libraries are extracted once into a cache folder and reached
 * through small wrapper scripts that set {@code LD_LIBRARY_PATH}.
 *
 * <p>The jar's libavdevice links {@code libpulse.so.0}. Where PulseAudio's client library is not
 * installed, an empty stand-in carrying its symbol version is built with gcc: ffmpeg only calls
 * into it for the {@code pulse} audio device, which this platform never uses.
 */
public final class BundledFfmpeg {
  private static final String VERSION = "7.1-1.5.11";
  private static final String NATIVE_DIR = "org/bytedeco/ffmpeg/linux-x86_64-gpl/";

  /** Paths of the two executables. */
  public record Executables(Path ffmpeg, Path ffprobe) {}

  private BundledFfmpeg() {}

  /** The default cache: {@code ~/.cache/ffmpeg-operator/ffmpeg-<version>}, shared by all runs. */
  public static Path defaultCache() {
    return Path.of(
        System.getProperty("user.home"), ".cache", "ffmpeg-operator", "ffmpeg-" + VERSION);
  }

  /** Extracts (unless already done) and returns runnable executables. */
  public static synchronized Executables extract(Path cache) throws IOException {
    Path ffmpeg = cache.resolve("ffmpeg");
    Path ffprobe = cache.resolve("ffprobe");
    if (!(Files.isExecutable(ffmpeg) && Files.isExecutable(ffprobe) && runs(ffmpeg))) {
      // Several JVMs (test forks, make run) may extract at once: each works in its own folder
      // and the first to finish moves it into place.
      Files.createDirectories(cache.getParent());
      Path staging = Files.createTempDirectory(cache.getParent(), "extracting-");
      Path lib = staging.resolve("lib");
      Files.createDirectories(lib);
      extractNativeDir(lib);
      writeWrapper(staging, cache.resolve("lib"), "ffmpeg");
      writeWrapper(staging, cache.resolve("lib"), "ffprobe");
      if (!runs(lib.resolve("ffmpeg"), lib)) {
        buildPulseStandIn(staging, lib);
      }
      try {
        Files.move(staging, cache, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException alreadyThere) {
        Directories.deleteTree(staging);
      }
      if (!runs(ffmpeg)) {
        throw new IOException(
            "the bundled ffmpeg in "
                + cache
                + " does not run; install ffmpeg (apt-get install ffmpeg) or libpulse0");
      }
    }
    return new Executables(ffmpeg, ffprobe);
  }

  private static void extractNativeDir(Path lib) throws IOException {
    URL url = BundledFfmpeg.class.getClassLoader().getResource(NATIVE_DIR + "ffmpeg");
    if (url == null) {
      throw new IOException(
          "org.bytedeco:ffmpeg:" + VERSION + ":linux-x86_64-gpl is not on the classpath");
    }
    JarURLConnection connection = (JarURLConnection) url.openConnection();
    connection.setUseCaches(false);
    try (JarFile jar = connection.getJarFile()) {
      for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
        String name = entry.getName();
        // The JNI glue (libjni*) is for javacpp's Java bindings, which nothing here uses.
        if (entry.isDirectory() || !name.startsWith(NATIVE_DIR) || name.contains("/libjni")) {
          continue;
        }
        Path target = lib.resolve(name.substring(NATIVE_DIR.length()));
        try (InputStream in = jar.getInputStream(entry)) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        target.toFile().setExecutable(true);
      }
    }
  }

  private static void buildPulseStandIn(Path staging, Path lib) throws IOException {
    Path map = staging.resolve("libpulse.map");
    Files.writeString(map, "PULSE_0 { };\n");
    List<String> gcc =
        List.of(
            "gcc",
            "-shared",
            "-fPIC",
            "-nostdlib",
            "-Wl,-soname,libpulse.so.0",
            "-Wl,--version-script=" + map,
            "-o",
            lib.resolve("libpulse.so.0").toString(),
            "-x",
            "c",
            "/dev/null");
    try {
      run(gcc, null);
    } catch (IOException e) {
      throw new IOException(
          "the bundled ffmpeg needs libpulse.so.0, and gcc could not build a stand-in ("
              + e.getMessage()
              + "); install ffmpeg or libpulse0",
          e);
    }
  }

  private static void writeWrapper(Path staging, Path finalLib, String name) throws IOException {
    Path script = staging.resolve(name);
    Files.writeString(
        script,
        "#!/bin/sh\nLD_LIBRARY_PATH='"
            + finalLib
            + "' exec '"
            + finalLib.resolve(name)
            + "' \"$@\"\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static boolean runs(Path ffmpeg) {
    return runs(ffmpeg, null);
  }

  private static boolean runs(Path ffmpeg, Path libraryPath) {
    try {
      run(List.of(ffmpeg.toString(), "-hide_banner", "-version"), libraryPath);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void run(List<String> command, Path libraryPath) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (libraryPath != null) {
      builder.environment().put("LD_LIBRARY_PATH", libraryPath.toString());
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException(command.get(0) + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
