package io.ffmpegoperator.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a filter graph ({@code -vf}, {@code -af}, {@code -filter_complex}) against an allow-list
 * of filters and, per filter, of the options it may set. Filters that read or write files, open
 * URLs, load plugins or models, or run commands ({@code movie}, {@code subtitles}, {@code sendcmd},
 * {@code metadata=file=}, {@code lv2}, ...) are not on the list. Source filters must say how long
 * they run, so none can feed ffmpeg forever.
 */
final class FilterGraphPolicy {
  /** Longest a source filter may run, in seconds. */
  static final double MAX_SOURCE_SECONDS = 86_400;

  private static final Pattern FILTER =
      Pattern.compile("((?:\\[[^\\[\\]]*]\\s*)*)([A-Za-z0-9_]+)(@[A-Za-z0-9_]+)?(?:=(.*))?");
  private static final Pattern TRAILING_LABELS = Pattern.compile("(?:\\s*\\[[^\\[\\]]*])+\\s*$");
  private static final Pattern LABEL = Pattern.compile("\\[[A-Za-z0-9_:.]{1,32}]");
  private static final Set<String> TIMELINE = Set.of("enable");

  private FilterGraphPolicy() {}

  /**
   * Adds a problem for each filter or option the graph may not use.
   *
   * @param option the command-line option that carried the graph, for messages
   */
  static void check(String option, String graph, List<String> problems) {
    List<String> filters;
    try {
      filters = split(graph, ",;");
    } catch (IllegalArgumentException e) {
      problems.add(option + ": " + e.getMessage());
      return;
    }
    for (String text : filters) {
      checkFilter(option, text.strip(), problems);
    }
  }

  private static void checkFilter(String option, String text, List<String> problems) {
    Matcher trailing = TRAILING_LABELS.matcher(text);
    String labels = "";
    if (trailing.find()) {
      labels = trailing.group();
      text = text.substring(0, trailing.start());
    }
    Matcher filter = FILTER.matcher(text);
    if (!filter.matches()) {
      problems.add(option + ": '" + TaskCommand.abbreviate(text) + "' is not a filter");
      return;
    }
    for (String label : (filter.group(1) + labels).split("(?<=])")) {
      if (!label.isBlank() && !LABEL.matcher(label.strip()).matches()) {
        problems.add(option + ": '" + TaskCommand.abbreviate(label) + "' is not a valid label");
      }
    }
    String name = filter.group(2);
    FilterAllowList.Rule rule = FilterAllowList.FILTERS.get(name);
    if (rule == null) {
      problems.add(
          option
              + ": the filter '"
              + TaskCommand.abbreviate(name)
              + "' is not allowed (filters that read or write files, open URLs, load plugins"
              + " or never end are refused; see docs/security.md)");
      return;
    }
    List<String> args;
    try {
      args = filter.group(4) == null ? List.of() : split(filter.group(4), ":");
    } catch (IllegalArgumentException e) {
      problems.add(option + ": " + name + ": " + e.getMessage());
      return;
    }
    int positional = 0;
    Double duration = null;
    boolean hasLength = false;
    for (String arg : args) {
      int eq = topLevelEquals(arg);
      if (eq < 0) {
        positional++;
        continue;
      }
      String key = arg.substring(0, eq).strip();
      String value = arg.substring(eq + 1).strip();
      if (!rule.keys().contains(key) && !TIMELINE.contains(key)) {
        problems.add(
            option
                + ": the filter '"
                + name
                + "' may not set '"
                + TaskCommand.abbreviate(key)
                + "'");
      }
      if (key.equals("d") || key.equals("duration")) {
        duration = seconds(value);
      }
      hasLength |= FilterAllowList.APAD_LENGTHS.contains(key);
    }
    if (positional > rule.positional()) {
      problems.add(
          option
              + ": the filter '"
              + name
              + "' takes at most "
              + rule.positional()
              + " unnamed arguments here; name the others (key=value)");
    }
    if (rule.source() && (duration == null || duration <= 0 || duration > MAX_SOURCE_SECONDS)) {
      problems.add(
          option
              + ": the source filter '"
              + name
              + "' needs a duration (d=seconds, at most "
              + (long) MAX_SOURCE_SECONDS
              + ")");
    }
    if (name.equals("apad") && !hasLength) {
      problems.add(option + ": the filter 'apad' needs pad_dur, whole_dur, pad_len or whole_len");
    }
  }

  /**
   * What a complex graph reads from outside itself.
   *
   * @param labels its input labels that no filter of the graph makes: ffmpeg reads each as {@code
   *     <input index>[:<stream specifier>]}
   * @param unlabeled whether some filter input may have neither a label nor a filter before it in
   *     its chain (or how many inputs a filter has cannot be told): ffmpeg gives such an input the
   *     first input stream of its type that nothing else has taken, whichever input that is
   */
  record Inputs(List<String> labels, boolean unlabeled) {}

  /** What a complex graph that {@link #check} accepted reads from outside itself. */
  static Inputs inputs(String graph) {
    Set<String> made = new HashSet<>();
    List<String> read = new ArrayList<>();
    boolean unlabeled = false;
    for (String chain : split(graph, ";")) {
      boolean chained = false;
      for (String text : split(chain, ",")) {
        text = text.strip();
        List<String> outputs = List.of();
        Matcher trailing = TRAILING_LABELS.matcher(text);
        if (trailing.find()) {
          outputs = labels(trailing.group());
          text = text.substring(0, trailing.start());
        }
        Matcher filter = FILTER.matcher(text);
        if (!filter.matches()) {
          unlabeled = true;
          continue;
        }
        List<String> inputs = labels(filter.group(1));
        read.addAll(inputs);
        made.addAll(outputs);
        OptionalInt count = FilterAllowList.inputs(filter.group(2), options(filter.group(4)));
        // A filter after a comma takes the one before it as its first input, unless that one's
        // outputs all went to labels.
        unlabeled |= count.isEmpty() || count.getAsInt() > inputs.size() + (chained ? 1 : 0);
        chained = outputs.isEmpty();
      }
    }
    read.removeAll(made);
    return new Inputs(read, unlabeled);
  }

  private static List<String> labels(String text) {
    List<String> labels = new ArrayList<>();
    for (String label : text.split("(?<=])")) {
      String stripped = label.strip();
      if (stripped.length() >= 2) {
        labels.add(stripped.substring(1, stripped.length() - 1));
      }
    }
    return labels;
  }

  /** A filter's options given by name; later ones win, as in ffmpeg. */
  private static Map<String, String> options(String text) {
    Map<String, String> options = new HashMap<>();
    if (text == null) {
      return options;
    }
    for (String arg : split(text, ":")) {
      int eq = topLevelEquals(arg);
      if (eq >= 0) {
        options.put(arg.substring(0, eq).strip(), arg.substring(eq + 1).strip());
      }
    }
    return options;
  }

  /** A duration as ffmpeg reads it in filter options: seconds, or [HH:]MM:SS[.m]. */
  private static Double seconds(String value) {
    String v = value.replace("\\", "").replace("'", "");
    try {
      if (v.contains(":")) {
        double total = 0;
        for (String part : v.split(":")) {
          total = total * 60 + Double.parseDouble(part);
        }
        return total;
      }
      if (v.endsWith("ms")) {
        return Double.parseDouble(v.substring(0, v.length() - 2)) / 1000;
      }
      if (v.endsWith("us")) {
        return Double.parseDouble(v.substring(0, v.length() - 2)) / 1_000_000;
      }
      return Double.parseDouble(v.endsWith("s") ? v.substring(0, v.length() - 1) : v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static int topLevelEquals(String arg) {
    boolean quoted = false;
    for (int i = 0; i < arg.length(); i++) {
      char c = arg.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '\'') {
        quoted = !quoted;
      } else if (c == '=' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Splits at separators that are outside quotes, escapes and labels, as ffmpeg's graph parser
   * does; quotes and escapes stay in the parts.
   */
  static List<String> split(String text, String separators) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    int bracket = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && !quoted) {
        if (i + 1 >= text.length()) {
          throw new IllegalArgumentException("ends with a lone backslash");
        }
        part.append(c).append(text.charAt(++i));
        continue;
      }
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '[') {
        bracket++;
      } else if (!quoted && c == ']') {
        bracket--;
      }
      if (!quoted && bracket == 0 && separators.indexOf(c) >= 0) {
        parts.add(part.toString());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("has an unclosed quote");
    }
    if (bracket != 0) {
      throw new IllegalArgumentException("has an unbalanced '['");
    }
    parts.add(part.toString());
    return parts;
  }
}
