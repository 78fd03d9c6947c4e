package io.ffmpegoperator.storage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The video library's files in the bucket, named as the video API's contract shows them: an upload
 * is {@code origin/{stem}_{yyyyMMddHHmmss}.{ext}}, the result of a job {@code
 * modi/{stem}_{trim|concat|encode}_{yyyyMMddHHmmss}.{ext}}, with {@code _2}, {@code _3}, ... before
 * the extension for a second name that would be the same. Earlier versions wrote {@code
 * origin/{stamp}_{id}_{name}} and {@code modi/video_{op}_{stamp}_{job}.{ext}}; such keys stay as
 * they are, and a stem is read from either shape.
 */
public final class LibraryKeys {
  /** Where uploads are: the API's {@code ./storage/origin/}. */
  public static final String UPLOADS = "origin/";

  /** Where the results of jobs are: the API's {@code ./storage/modi/}. */
  public static final String RESULTS = "modi/";

  /** The stem of a name that has nothing usable left: the seed's own example name. */
  static final String DEFAULT_STEM = "video";

  /** Longest stem in characters; the time stamp and copy number already make the name unique. */
  static final int MAX_STEM_LENGTH = 100;

  /**
   * Longest stem in UTF-8 bytes, so a whole name stays within the 255 bytes of a file name (the S3
   * store of the embedded stack keeps objects as files), even for names in Korean.
   */
  static final int MAX_STEM_BYTES = 200;

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern UNSAFE = Pattern.compile("[^\\p{L}\\p{N}._-]+");
  private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,8}");
  private static final Pattern UPLOAD = Pattern.compile("(.+)_\\d{14}(?:_\\d+)?\\.[^.]+");
  private static final Pattern RESULT =
      Pattern.compile("(.+)_(?:trim|concat|encode)_\\d{14}(?:_\\d+)?\\.[^.]+");
  private static final Pattern OLD_UPLOAD = Pattern.compile("\\d{14}_\\d+_(.+)");

  private LibraryKeys() {}

  /**
   * The key of an upload.
   *
   * @param stem a stem from {@link #stemOfName}
   * @param extension lower case, without the dot
   * @param copy 1 for the first name of this stem and second, 2 and up for the next ones
   */
  public static String upload(String stem, String extension, Instant at, int copy) {
    return UPLOADS + stem + "_" + STAMP.format(at) + suffix(copy) + "." + extension;
  }

  /**
   * The key of a job's result.
   *
   * @param stem the source's stem, from {@link #stemOfKey} or {@link #stemOfName}
   * @param operation trim, concat or encode
   * @param extension lower case, without the dot
   * @param copy 1 for the first name of this stem, operation and second, 2 and up for the next
   */
  public static String result(
      String stem, String operation, String extension, Instant at, int copy) {
    return RESULTS
        + stem
        + "_"
        + operation.toLowerCase(Locale.ROOT)
        + "_"
        + STAMP.format(at)
        + suffix(copy)
        + "."
        + extension;
  }

  private static String suffix(int copy) {
    return copy <= 1 ? "" : "_" + copy;
  }

  /**
   * The stem of a client's file name: its last path segment without the extension, made safe by
   * {@link #safeStem}.
   */
  public static String stemOfName(String fileName) {
    String base =
        fileName == null
            ? ""
            : fileName.substring(
                Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
    int dot = base.lastIndexOf('.');
    return safeStem(dot < 0 ? base : base.substring(0, dot));
  }

  /**
   * A stem with anything but letters, digits, '.', '-' and '_' replaced by '_', no leading dot and
   * no "..", shortened to {@link #MAX_STEM_LENGTH} characters and {@link #MAX_STEM_BYTES} bytes;
   * {@link #DEFAULT_STEM} when nothing is left.
   */
  static String safeStem(String stem) {
    String safe =
        UNSAFE.matcher(stem).replaceAll("_").replaceAll("\\.{2,}", ".").replaceAll("^\\.+", "");
    StringBuilder kept = new StringBuilder();
    int bytes = 0;
    for (int i = 0, count = 0; i < safe.length() && count < MAX_STEM_LENGTH; count++) {
      int c = safe.codePointAt(i);
      bytes += new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_STEM_BYTES) {
        break;
      }
      kept.appendCodePoint(c);
      i += Character.charCount(c);
    }
    return kept.isEmpty() ? DEFAULT_STEM : kept.toString();
  }

  /**
   * The stem a library key was made from, whichever shape it has: {@code movie} for {@code
   * origin/movie_20240910161824.mp4}, {@code modi/movie_trim_20240910161824_2.mp4} and the older
   * {@code origin/20240910161824_13_movie.mp4}; {@code video} for the older {@code
   * modi/video_trim_20240910161824_7.mkv}. Any other key gives the stem of its file name.
   */
  public static String stemOfKey(String key) {
    if (key == null) {
      return DEFAULT_STEM;
    }
    String name = key.substring(key.lastIndexOf('/') + 1);
    Pattern shape = key.startsWith(RESULTS) ? RESULT : UPLOAD;
    Matcher m = shape.matcher(name);
    if (m.matches()) {
      return safeStem(m.group(1));
    }
    m = OLD_UPLOAD.matcher(name);
    return stemOfName(m.matches() ? m.group(1) : name);
  }

  /**
   * The extension of a file name or key in lower case, without the dot, when it looks like one (1
   * to 8 letters and digits); empty otherwise.
   */
  public static String extensionOf(String name) {
    if (name == null) {
      return "";
    }
    String last = name.substring(name.lastIndexOf('/') + 1);
    int dot = last.lastIndexOf('.');
    String extension = dot < 0 ? "" : last.substring(dot + 1).toLowerCase(Locale.ROOT);
    return EXTENSION.matcher(extension).matches() ? extension : "";
  }
}
