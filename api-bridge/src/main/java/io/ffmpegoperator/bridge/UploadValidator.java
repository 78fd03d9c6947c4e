package io.ffmpegoperator.bridge;

import io.ffmpegoperator.crds.MediaInfo;
import io.ffmpegoperator.worker.Ffprobe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether an uploaded file is a video the library takes: an allowed extension, and content
 * that ffprobe reads as one of the allowed containers with a video stream. The extension alone
 * proves nothing, so every file is probed; text files are refused before ffprobe sees them, because
 * a playlist or concat list makes ffprobe open the files it names.
 */
final class UploadValidator {
  /** The extensions the seed API accepts. */
  static final List<String> EXTENSIONS =
      List.of("mp4", "avi", "mov", "mkv", "wmv", "flv", "mpeg", "3gp", "webm");

  // ffprobe's demuxer names for those: mov/mp4/3gp share one, mkv/webm one, wmv is ASF, and an
  // .mpeg may be a program stream, a transport stream or a bare MPEG video stream.
  private static final Set<String> CONTAINERS =
      Set.of(
          "mov",
          "mp4",
          "3gp",
          "avi",
          "matroska",
          "webm",
          "asf",
          "flv",
          "mpeg",
          "mpegts",
          "mpegvideo");
  private static final int SNIFF_BYTES = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(UploadValidator.class);

  private final Ffprobe ffprobe;
  // Probes are processes; a burst of uploads must not start dozens at once on a small node.
  private final Semaphore probes;

  UploadValidator(Ffprobe ffprobe, int maxConcurrentProbes) {
    this.ffprobe = ffprobe;
    this.probes = new Semaphore(maxConcurrentProbes, true);
  }

  /** The file name's extension in lower case; 415 unless it is one of {@link #EXTENSIONS}. */
  static String extension(String fileName) {
    int dot = fileName == null ? -1 : fileName.lastIndexOf('.');
    String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    if (!EXTENSIONS.contains(extension)) {
      throw ApiException.detail(
          415,
          "Unsupported file format: "
              + fileName
              + ". Supported formats: "
              + String.join(", ", EXTENSIONS));
    }
    return extension;
  }

  /**
   * What ffprobe finds in the file; 415 when it is not a video in an allowed container.
   *
   * @param fileName the name the client gave, for the error message
   */
  MediaInfo probe(Path file, String fileName) {
    sniff(file, fileName);
    MediaInfo media;
    try {
      probes.acquire();
      try {
        media = MediaInfo.fromFfprobe(ffprobe.streamsAndFormat(file));
      } finally {
        probes.release();
      }
    } catch (IOException e) {
      // ffprobe's own words stay in the log: they are about our temp file, not the user's.
      LOG.info("Upload {} does not probe: {}", fileName, e.getMessage());
      throw notAVideo(fileName, "it could not be read as media");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.detail(503, "The server is shutting down");
    }
    String format = media.getFormatName() == null ? "" : media.getFormatName();
    if (Arrays.stream(format.split(",")).noneMatch(CONTAINERS::contains)) {
      throw notAVideo(
          fileName, "its content is " + (format.isEmpty() ? "of no known format" : format));
    }
    if (media.getVideoStreams() == null
        || media.getVideoStreams() == 0
        || media.getVideoCodec() == null
        || media.getWidth() == null
        || media.getHeight() == null) {
      throw notAVideo(fileName, "it has no video stream");
    }
    return media;
  }

  private static void sniff(Path file, String fileName) {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(SNIFF_BYTES);
    } catch (IOException e) {
      throw new IllegalStateException("could not read the uploaded file " + file, e);
    }
    if (head.length == 0) {
      throw notAVideo(fileName, "it is empty");
    }
    if (isText(head)) {
      throw notAVideo(fileName, "it is a text file");
    }
  }

  // Every container allowed here starts with binary header bytes (sizes, ids, NULs).
  private static boolean isText(byte[] head) {
    for (byte b : head) {
      int c = b & 0xff;
      if (c == 0x7f || (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')) {
        return false;
      }
    }
    return true;
  }

  private static ApiException notAVideo(String fileName, String why) {
    return ApiException.detail(
        415,
        "Unsupported file: "
            + fileName
            + " is not a video in a supported format ("
            + why
            + "). Supported formats: "
            + String.join(", ", EXTENSIONS));
  }
}
