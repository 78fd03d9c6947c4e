package io.ffmpegoperator.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of what a task declares besides its command: placeholder names, input URLs (http,
 * https, or s3:// in the platform's bucket), output file names, and concat lists of declared
 * inputs. Each problem is added to the caller's list, phrased for the user.
 */
final class TaskDeclarations {
  private static final Pattern PLACEHOLDER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");
  // A plain ASCII file name (no separators, no leading dot, nothing that looks like one) with an
  // extension of a media file, so no muxer that writes more files (HLS, DASH, segments) is chosen.
  private static final Pattern OUTPUT_FILE =
      Pattern.compile(
          "[A-Za-z0-9][A-Za-z0-9_.-]{0,126}\\.(?i:mp4|m4v|m4a|mov|mkv|mka|webm|avi|flv|ts|mts|m2ts"
              + "|mpg|mpeg|3gp|mp3|aac|wav|flac|ogg|oga|ogv|opus|gif|png|jpg|jpeg|webp|srt|vtt|ass|crc)");

  /** The most inputs one concat list names, and all concat lists together. */
  static final int MAX_LIST_MEMBERS = 64;

  private TaskDeclarations() {}

  static void checkInputs(
      Map<String, String> inputs,
      Map<String, List<String>> lists,
      String bucket,
      List<String> problems) {
    // Inputs read only through concat lists are the parts of one input (a parallel task's join
    // has one per segment): they have a bound of their own, the length of one list.
    Set<String> listed = new HashSet<>();
    lists.values().stream().filter(m -> m != null).forEach(listed::addAll);
    long direct = inputs.keySet().stream().filter(name -> !listed.contains(name)).count();
    long parts = inputs.size() - direct;
    if (direct > TaskCommand.MAX_INPUTS) {
      problems.add("at most " + TaskCommand.MAX_INPUTS + " inputs are allowed, got " + direct);
    }
    if (parts > MAX_LIST_MEMBERS) {
      problems.add(
          "at most " + MAX_LIST_MEMBERS + " inputs in concat lists are allowed, got " + parts);
    }
    inputs.forEach(
        (name, url) -> {
          checkName("input", name, problems);
          String urlProblem = checkUrl(url, bucket);
          if (urlProblem != null) {
            problems.add("input '" + name + "': " + urlProblem);
          }
        });
  }

  static void checkOutputs(Map<String, String> outputs, List<String> problems) {
    if (outputs.isEmpty()) {
      problems.add("at least one output file is required");
    }
    if (outputs.size() > TaskCommand.MAX_OUTPUTS) {
      problems.add(
          "at most " + TaskCommand.MAX_OUTPUTS + " outputs are allowed, got " + outputs.size());
    }
    Set<String> seenFiles = new HashSet<>();
    outputs.forEach(
        (name, file) -> {
          checkName("output", name, problems);
          if (file == null || !OUTPUT_FILE.matcher(file).matches() || file.contains("..")) {
            problems.add(
                "output '"
                    + name
                    + "': file name must be a plain name (letters, digits, '.', '_', '-'; no"
                    + " path) with a media extension such as .mp4, .mkv, .webm, .mp3, .png");
          } else if (!seenFiles.add(file.toLowerCase(Locale.ROOT))) {
            problems.add("output '" + name + "': file name '" + file + "' is used twice");
          }
        });
  }

  static void checkConcatLists(
      Map<String, List<String>> lists,
      Map<String, String> inputs,
      Map<String, String> outputs,
      List<String> problems) {
    if (lists.size() > TaskCommand.MAX_INPUTS) {
      problems.add(
          "at most " + TaskCommand.MAX_INPUTS + " concat lists are allowed, got " + lists.size());
    }
    lists.forEach(
        (name, members) -> {
          checkName("concat list", name, problems);
          if (inputs.containsKey(name) || outputs.containsKey(name)) {
            problems.add("'" + name + "' is declared both as a concat list and as a file");
          }
          if (members == null || members.isEmpty() || members.size() > MAX_LIST_MEMBERS) {
            problems.add(
                "concat list '" + name + "' must name 1 to " + MAX_LIST_MEMBERS + " inputs");
            return;
          }
          for (String member : members) {
            if (!inputs.containsKey(member)) {
              problems.add(
                  "concat list '" + name + "' names '" + member + "', which is not an input");
            }
          }
        });
  }

  private static void checkName(String kind, String name, List<String> problems) {
    if (name == null || !PLACEHOLDER_NAME.matcher(name).matches()) {
      problems.add(
          kind
              + " name '"
              + name
              + "' must start with a letter and hold only letters, digits and '_' (at most 63)");
    }
  }

  private static String checkUrl(String url, String bucket) {
    if (url == null || url.isBlank()) {
      return "URL is empty";
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "not a valid URL";
    }
    // Anyone who may read the resource would read the credentials; and the worker would send them.
    if (uri.getRawUserInfo() != null) {
      return "URLs with user info are not accepted; use a pre-signed link or an s3:// input"
          + " instead";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "http", "https" -> {
        return uri.getHost() == null ? "URL has no host" : null;
      }
      case "s3" -> {
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
          return "s3 URL must look like s3://<bucket>/<key>";
        }
        if (bucket != null && !bucket.equals(uri.getHost())) {
          return "s3 inputs must be in the bucket '" + bucket + "'";
        }
        return null;
      }
      default -> {
        return "only http, https and s3:// URLs are allowed";
      }
    }
  }
}
