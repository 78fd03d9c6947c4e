package io.ffmpegoperator.operator;

import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.crds.VideoOrigin;
import io.ffmpegoperator.crds.VideoSpec;
import io.ffmpegoperator.ids.FileNameClaims;
import io.ffmpegoperator.storage.LibraryKeys;
import io.ffmpegoperator.storage.S3Storage;
import java.util.Map;

/**
 * The library key of a VideoJob's result, {@code modi/<stem>_<operation>_<stamp>.<ext>} with the
 * stem of its (first) source video. It is claimed when the job's task is made and kept on the task
 * as an annotation, so however often storing the result is tried, it goes to that one key. The
 * task's own output keeps a plain ASCII name, which is what the task policy allows.
 */
final class ResultKeys {
  /** The annotation on a VideoJob's FfmpegTask that holds its result's library key. */
  static final String ANNOTATION = CrdConstants.GROUP + "/library-key";

  private ResultKeys() {}

  /**
   * Claims the key of a result, with the extension of the task's {@code outputFile}, that no other
   * result or stored object has.
   */
  static String claim(
      FileNameClaims claims, S3Storage storage, VideoJob job, Video source, String outputFile) {
    String stem = stemOf(source.getSpec());
    String extension = LibraryKeys.extensionOf(outputFile);
    String operation = job.getSpec().getOperation().name();
    return claims.claim(
        (at, copy) -> LibraryKeys.result(stem, operation, extension, at, copy),
        key -> storage.size(key).isPresent());
  }

  /**
   * Where the result of {@code task}, stored at {@code outputKey}, belongs in the library: the key
   * claimed with the task, or, for a task made by an earlier version (no annotation), {@code modi/}
   * and the output's file name, as that version stored it.
   */
  static String of(FfmpegTask task, String outputKey) {
    Map<String, String> annotations = task.getMetadata().getAnnotations();
    String claimed = annotations == null ? null : annotations.get(ANNOTATION);
    if (claimed != null && isResultKey(claimed)) {
      return claimed;
    }
    return LibraryKeys.RESULTS + outputKey.substring(outputKey.lastIndexOf('/') + 1);
  }

  /** A plain file name straight under {@code modi/}: an edited annotation reaches nothing else. */
  private static boolean isResultKey(String key) {
    String name = key.substring(Math.min(key.length(), LibraryKeys.RESULTS.length()));
    return key.startsWith(LibraryKeys.RESULTS)
        && !name.isEmpty()
        && !name.startsWith(".")
        && !name.contains("/")
        && !name.contains("\\")
        && !name.contains("..")
        && name.codePoints().noneMatch(Character::isISOControl);
  }

  /** The stem a result is named after: the upload's file name, else the source's own key's. */
  static String stemOf(VideoSpec source) {
    boolean upload = source.getOrigin() == null || source.getOrigin() == VideoOrigin.Upload;
    if (upload && source.getUploadedFileName() != null) {
      return LibraryKeys.stemOfName(source.getUploadedFileName());
    }
    return LibraryKeys.stemOfKey(source.getFileKey());
  }
}
