package io.ffmpegoperator.bridge.library;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.ValidationError;
import io.ffmpegoperator.bridge.store.VideoStore;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoOrigin;
import io.ffmpegoperator.crds.VideoSpec;
import io.ffmpegoperator.ids.FileNameClaims;
import io.ffmpegoperator.ids.IdAllocator;
import io.ffmpegoperator.media.MediaInfo;
import io.ffmpegoperator.storage.LibraryKeys;
import io.ffmpegoperator.storage.S3Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.glassfish.jersey.media.multipart.BodyPartEntity;
import org.glassfish.jersey.media.multipart.FormDataBodyPart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Stores the files of one upload request, all or none: every file is checked and probed before the
 * first is stored, and if storing one fails, what was already stored is removed again.
 */
final class VideoUploads {
  /** Longest file name a client may send, in UTF-8 bytes: what common file systems allow. */
  static final int MAX_NAME_BYTES = 255;

  // Path separators and the characters that look like them in a listing or a link.
  private static final String SEPARATORS =
      "/\\\u2215\u2044\uff0f\uff3c\u29f8\u29f9\u2216\u29f5\ufe68";

  private static final Logger LOG = LoggerFactory.getLogger(VideoUploads.class);

  // mimepull, which buffers large parts, tries to delete its file when the part is closed; we have
  // moved that file (receive) and deleted it ourselves by then, and it says "was not deleted" at
  // INFO, which reads like a leak. Held in a field because JUL keeps loggers only weakly.
  private static final java.util.logging.Logger MIMEPULL_LOG =
      java.util.logging.Logger.getLogger("org.jvnet.mimepull");

  static {
    MIMEPULL_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final VideoStore videos;
  private final IdAllocator ids;
  private final S3Storage storage;
  private final UploadValidator validator;
  private final FileNameClaims names;
  private final Path tempDir;

  /**
   * @param names where the file names of uploads are claimed, so that two same-named uploads in one
   *     second (on any replica) get two names
   * @param tempDir where uploaded parts are moved for probing: Jersey's multipart buffer folder, so
   *     the move is a rename, not a copy
   */
  VideoUploads(
      VideoStore videos,
      IdAllocator ids,
      S3Storage storage,
      UploadValidator validator,
      FileNameClaims names,
      Path tempDir) {
    this.videos = videos;
    this.ids = ids;
    this.storage = storage;
    this.validator = validator;
    this.names = names;
    this.tempDir = tempDir;
  }

  /** Checks, probes and stores every part; returns the videos made, in the parts' order. */
  List<Video> upload(List<FormDataBodyPart> parts) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      String name = fileName(parts.get(i), i);
      String problem = nameProblem(name);
      if (problem != null) {
        // The name is not repeated: it may hold characters that reorder or hide text.
        throw ApiException.detail(400, "Invalid file name (file " + (i + 1) + "): " + problem);
      }
      UploadValidator.extension(name);
      names.add(name);
    }
    List<Path> files = new ArrayList<>();
    try {
      List<MediaInfo> media = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        Path file = receive(parts.get(i), UploadValidator.extension(names.get(i)));
        files.add(file);
        media.add(validator.probe(file, names.get(i)));
      }
      return store(names, files, media);
    } finally {
      files.forEach(VideoUploads::deleteQuietly);
    }
  }

  private List<Video> store(List<String> names, List<Path> files, List<MediaInfo> media) {
    List<Video> created = new ArrayList<>();
    List<String> stored = new ArrayList<>();
    try {
      for (int i = 0; i < files.size(); i++) {
        long id = ids.next(IdAllocator.VIDEOS);
        String key = key(names.get(i));
        storage.put(key, files.get(i));
        stored.add(key);
        created.add(videos.create(spec(id, key, names.get(i), media.get(i))));
      }
      return created;
    } catch (RuntimeException e) {
      // Ids are not given back: they are never reused, so a gap is harmless.
      LOG.warn("Upload failed after storing {} file(s); removing them", stored.size());
      created.forEach(video -> videos.deleteQuietly(video.getSpec().getId()));
      stored.forEach(this::deleteObjectQuietly);
      if (e instanceof ApiException) {
        throw e;
      }
      LOG.error("Could not store an upload", e);
      // IllegalStateException: too many writers took ids or file names at once, which passes.
      boolean passing =
          e instanceof KubernetesClientException
              || e instanceof SdkException
              || e instanceof IllegalStateException;
      throw ApiException.detail(
          passing ? 503 : 500, "Could not store the upload; nothing was kept, try again later");
    }
  }

  /**
   * Why a client's file name is refused, or null. The name is shown in listings and ends up in an
   * S3 key and a download link, so it may hold no control or invisible formatting characters (a
   * right-to-left override, U+202E, makes {@code evil<U+202E>4pm.exe} read as {@code evilexe.mp4}),
   * no path separators or look-alikes, and no leading dot or {@code ..}. Letters of any script are
   * fine.
   */
  static String nameProblem(String name) {
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return "it is longer than " + MAX_NAME_BYTES + " bytes";
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      i += Character.charCount(c);
      switch (Character.getType(c)) {
        case Character.CONTROL,
            Character.FORMAT,
            Character.SURROGATE,
            Character.LINE_SEPARATOR,
            Character.PARAGRAPH_SEPARATOR -> {
          return "it contains a control or invisible formatting character";
        }
        default -> {
          if (SEPARATORS.indexOf(c) >= 0) {
            return "it contains a path separator ('/', '\\' or a look-alike)";
          }
        }
      }
    }
    if (name.startsWith(".")) {
      return "it starts with a dot";
    }
    if (name.contains("..")) {
      return "it contains '..'";
    }
    return null;
  }

  /**
   * {@code origin/<stem>_<yyyyMMddHHmmss>.<ext>}, as the API's contract shows uploads, with a copy
   * number when that name is already given out or stored.
   */
  private String key(String fileName) {
    String stem = LibraryKeys.stemOfName(fileName);
    String extension = UploadValidator.extension(fileName);
    return names.claim(
        (at, copy) -> LibraryKeys.upload(stem, extension, at, copy),
        key -> storage.size(key).isPresent());
  }

  /** The client's file name; a part without one is a form field, not a file: FastAPI's 422. */
  private static String fileName(FormDataBodyPart part, int index) {
    String name =
        part.getFormDataContentDisposition() == null
            ? null
            : part.getFormDataContentDisposition().getFileName();
    if (name == null || name.isBlank()) {
      throw ApiException.validation(
          List.of(ValidationError.notAFile(List.of("body", "files", index))));
    }
    return utf8(name);
  }

  /**
   * Browsers and HTTP libraries send a raw UTF-8 file name, which the multipart parser reads as
   * ISO-8859-1; read back, unless the bytes are not UTF-8 (then the name was Latin-1 after all).
   */
  static String utf8(String name) {
    if (name.chars().anyMatch(c -> c > 0xff) || name.chars().noneMatch(c -> c >= 0x80)) {
      return name;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(name.getBytes(StandardCharsets.ISO_8859_1)))
          .toString();
    } catch (CharacterCodingException e) {
      return name;
    }
  }

  private Path receive(FormDataBodyPart part, String extension) {
    Path file = tempDir.resolve("upload-" + UUID.randomUUID() + "." + extension);
    try {
      if (part.getEntity() instanceof BodyPartEntity entity) {
        // Jersey has buffered a large part to a file of its own: moving it is a rename.
        entity.moveTo(file.toFile());
      } else {
        try (InputStream in = part.getValueAs(InputStream.class)) {
          Files.copy(in, file);
        }
      }
      return file;
    } catch (IOException e) {
      deleteQuietly(file);
      throw new UncheckedIOException("could not receive an uploaded file", e);
    }
  }

  private static VideoSpec spec(long id, String key, String fileName, MediaInfo media) {
    VideoSpec spec = new VideoSpec();
    spec.setId(id);
    spec.setOrigin(VideoOrigin.Upload);
    spec.setFileKey(key);
    spec.setUploadedFileName(fileName);
    spec.setMedia(media);
    return spec;
  }

  private void deleteObjectQuietly(String key) {
    try {
      storage.delete(key);
    } catch (RuntimeException e) {
      LOG.error("Could not delete s3://{}/{} of a failed upload", storage.bucket(), key, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", file, e.toString());
    }
  }
}
