package io.ffmpegoperator.bridge.library;

import io.ffmpegoperator.storage.LibraryKeys;
import java.util.Optional;

/**
 * The library's files as the video API names them: an S3 key {@code origin/clip_….mp4} is the
 * {@code file_path} {@code ./storage/origin/clip_….mp4}, served at {@code GET
 * /storage/origin/clip_….mp4}, as the original service kept and served them from its {@code
 * ./storage} folder.
 */
final class LibraryFiles {
  /** What the API puts before a key. */
  static final String PATH_PREFIX = "./storage/";

  private LibraryFiles() {}

  /** The API's path of the file with this key; null for no key. */
  static String pathOf(String key) {
    return key == null ? null : PATH_PREFIX + key;
  }

  /**
   * The key of {@code /storage/<folder>/<file>}: a plain file name straight under {@code origin/}
   * or {@code modi/}, or none. Nothing else of the bucket can be named, however the name is
   * spelled: no separators, no leading dot, no "..", no control characters.
   */
  static Optional<String> keyOf(String folder, String file) {
    if (!(folder + "/").equals(LibraryKeys.UPLOADS)
        && !(folder + "/").equals(LibraryKeys.RESULTS)) {
      return Optional.empty();
    }
    if (file == null || file.isEmpty() || VideoUploads.nameProblem(file) != null) {
      return Optional.empty();
    }
    return Optional.of(folder + "/" + file);
  }
}
