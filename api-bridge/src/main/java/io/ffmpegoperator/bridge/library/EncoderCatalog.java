package io.ffmpegoperator.bridge.library;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The encoders one ffmpeg build has, read from {@code ffmpeg -hide_banner -encoders}, so an encode
 * is refused up front when the worker's ffmpeg could never run it, and a codec's name (h264) can be
 * turned into the encoder that writes it (libx264).
 */
final class EncoderCatalog {
  /** One encoder: its name, kind, and the codec it writes (as ffprobe names that codec). */
  record Encoder(String name, Kind kind, boolean experimental, String codec) {}

  /** What an encoder encodes. */
  enum Kind {
    VIDEO,
    AUDIO,
    SUBTITLE
  }

  // " V....D libx264  libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)"
  private static final Pattern LINE =
      Pattern.compile("^\\s*([VAS])([F.])([S.])([X.])([B.])([D.])\\s+(\\S+)\\s*(.*)$");
  private static final Pattern CODEC = Pattern.compile("\\(codec ([^)\\s]+)\\)\\s*$");
  // Hardware encoders are listed whenever ffmpeg was built with them, device or not; a worker pod
  // has no GPU, so they would only fail later.
  private static final Pattern HARDWARE =
      Pattern.compile(
          ".*_(nvenc|vaapi|qsv|amf|v4l2m2m|vulkan|videotoolbox|mediacodec|omx|mf|d3d12va|rkmpp|oh)$");
  // Where a build has several encoders of a codec, the one people mean by the codec's name; ffmpeg
  // itself takes the first it lists, which for h264 may be libopenh264 in some builds.
  private static final Map<String, String> USUAL = Map.of("h264", "libx264", "hevc", "libx265");
  private static final long TIMEOUT_SECONDS = 20;
  private static final int MAX_OUTPUT_BYTES = 1024 * 1024;

  private final Map<String, Encoder> encoders;

  private EncoderCatalog(Map<String, Encoder> encoders) {
    this.encoders = encoders;
  }

  /** Parses the listing; lines before the {@code ------} separator are its legend. */
  static EncoderCatalog parse(String listing) {
    Map<String, Encoder> encoders = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : listing.split("\\R")) {
      if (!inTable) {
        inTable = line.strip().startsWith("------");
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches() || HARDWARE.matcher(m.group(7)).matches()) {
        continue;
      }
      Kind kind =
          switch (m.group(1)) {
            case "V" -> Kind.VIDEO;
            case "A" -> Kind.AUDIO;
            default -> Kind.SUBTITLE;
          };
      Matcher codec = CODEC.matcher(m.group(8));
      String name = m.group(7);
      encoders.put(
          name,
          new Encoder(name, kind, m.group(4).equals("X"), codec.find() ? codec.group(1) : name));
    }
    return new EncoderCatalog(encoders);
  }

  /** Runs {@code ffmpeg -hide_banner -encoders} and parses what it prints. */
  static EncoderCatalog load(Path ffmpeg) throws IOException {
    Process process =
        new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-encoders")
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (InputStream out = process.getInputStream()) {
      byte[] bytes = out.readNBytes(MAX_OUTPUT_BYTES);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException(ffmpeg + " -encoders did not finish");
      }
      if (process.exitValue() != 0) {
        throw new IOException(ffmpeg + " -encoders exited with " + process.exitValue());
      }
      EncoderCatalog catalog = parse(new String(bytes, StandardCharsets.UTF_8));
      if (catalog.size() == 0) {
        throw new IOException(ffmpeg + " -encoders listed no encoder");
      }
      return catalog;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while listing encoders", e);
    } finally {
      process.destroyForcibly();
    }
  }

  /** The encoder with this exact name, if this ffmpeg has it. */
  Optional<Encoder> find(String name) {
    return Optional.ofNullable(encoders.get(name));
  }

  /**
   * The encoder for the codec of this name (as ffprobe names codecs, e.g. h264): the usual one if
   * this ffmpeg has it, else the first usable one it lists, as ffmpeg would choose. Experimental
   * encoders and those of another kind are not usable.
   */
  Optional<Encoder> forCodec(String codec, Kind kind) {
    Encoder usual = USUAL.containsKey(codec) ? encoders.get(USUAL.get(codec)) : null;
    if (usable(usual, codec, kind)) {
      return Optional.of(usual);
    }
    return encoders.values().stream().filter(e -> usable(e, codec, kind)).findFirst();
  }

  private static boolean usable(Encoder encoder, String codec, Kind kind) {
    return encoder != null
        && encoder.codec().equals(codec)
        && encoder.kind() == kind
        && !encoder.experimental();
  }

  int size() {
    return encoders.size();
  }
}
