package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.media.Ffprobe;
import io.ffmpegoperator.media.MediaInfo;
import io.ffmpegoperator.policy.MediaPolicy;
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
 * that ffprobe reads as one of the allowed containers with a video stream, within the media
 * policy's caps on streams, frame size and duration. The extension alone proves nothing, so every
 * file is probed; text files are refused before ffprobe sees them, because a playlist or concat
 * list makes ffprobe open the files it names.
 */
final class UploadValidator {
  /** The extensions the seed API accepts. */
  static final List<String> EXTENSIONS =
      List.of("mp4", "avi", "mov", "mkv", "wmv", "flv", "mpeg", "3gp", "webm");

  /**
   * ffprobe's demuxer names for those: mov/mp4/3gp share one, mkv/webm one, wmv is ASF, and an
   * .mpeg may be a program stream, a transport stream or a bare MPEG video stream. ffprobe may open
   * an upload with these demuxers only.
   */
  static final List<String> FORMATS =
      List.of(
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

  private static final Set<String> CONTAINERS = Set.copyOf(FORMATS);
  private static final int SNIFF_BYTES = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(UploadValidator.class);

  private final Ffprobe ffprobe;
  // Probes are processes; a burst of uploads must not start dozens at once on a small node.
  private final Semaphore probes;
  private final MediaPolicy policy;

  /**
   * @param policy the caps on streams, frame size and duration an upload must stay within
   */
  UploadValidator(Ffprobe ffprobe, int maxConcurrentProbes, MediaPolicy policy) {
    this.ffprobe = ffprobe;
    this.probes = new Semaphore(maxConcurrentProbes, true);
    this.policy = policy;
  }

  /** With {@link MediaPolicy#defaults()}. */
  UploadValidator(Ffprobe ffprobe, int maxConcurrentProbes) {
    this(ffprobe, maxConcurrentProbes, MediaPolicy.defaults());
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
   * What ffprobe finds in the file; 415 when it is not a video in an allowed container, or is
   * beyond the policy's caps.
   *
   * @param fileName the name the client gave (already checked to be printable), for the message
   */
  MediaInfo probe(Path file, String fileName) {
    sniff(file, fileName);
    JsonNode probe;
    try {
      probes.acquire();
      try {
        // Only the allowed demuxers may open the file: any other one never runs on it.
        probe = ffprobe.streamsAndFormat(file, FORMATS);
      } finally {
        probes.release();
      }
    } catch (Ffprobe.UnreadableFileException | JsonProcessingException e) {
      // ffprobe's words stay out of the answer and the log: they can quote the file's content.
      LOG.info("Upload {} could not be probed with the allowed formats", fileName);
      throw notAVideo(fileName, "it could not be read as media");
    } catch (IOException e) {
      // Not about the file: ffprobe did not start. The message is the system's, safe to log.
      LOG.warn("Could not run ffprobe for upload {}: {}", fileName, e.toString());
      throw notAVideo(fileName, "it could not be read as media");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.detail(503, "The server is shutting down");
    }
    MediaInfo media = MediaInfo.fromFfprobe(probe);
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
    String refusal = policy.refusal(probe, FORMATS);
    if (refusal != null) {
      throw ApiException.detail(
          415, "Unsupported file: " + fileName + " is beyond the limits (" + refusal + ")");
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
