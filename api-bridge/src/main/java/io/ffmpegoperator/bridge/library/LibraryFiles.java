package io.ffmpegoperator.bridge.library;

/**
 * The library's files as the video API names them: an S3 key {@code origin/clip_….mp4} is the
 * {@code file_path} {@code ./storage/origin/clip_….mp4}, as the original service kept them in its
 * {@code ./storage} folder.
 */
final class LibraryFiles {
  /** What the API puts before a key. */
  static final String PATH_PREFIX = "./storage/";

  private LibraryFiles() {}

  /** The API's path of the file with this key; null for no key. */
  static String pathOf(String key) {
    return key == null ? null : PATH_PREFIX + key;
  }
}
