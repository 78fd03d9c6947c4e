package io.ffmpegoperator.policy;

import io.ffmpegoperator.policy.TaskCommand.Arg;
import io.ffmpegoperator.policy.TaskCommand.Kind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The grammar an FfmpegTask's command must follow, and the options the server adds to every run.
 *
 * <p>A command is {@code [input options] -i <input placeholder>} once per input, then {@code
 * [output options] <output placeholder>} once per output. Every option comes from an allow-list
 * that says where it may stand and what its value must look like; filter graphs are checked by
 * {@link FilterGraphPolicy}. Nothing else may appear: no file names, URLs, devices or protocols, no
 * option that reads or writes a file ({@code -vstats_file}, {@code -passlogfile}, {@code
 * -filter_complex_script}, ffmpeg 7's {@code -/option file}), and no option the server sets itself
 * (stdin, progress, protocol and format whitelists, formats of inputs, frame size caps, the
 * metadata and chapters copied from inputs).
 *
 * <p>An input may be looped forever ({@code -stream_loop -1}) only where every output still ends by
 * itself; see {@link #checkEndlessInputs}.
 */
public final class CommandPolicy {
  /** Output containers a command may ask for with {@code -f}. */
  static final Set<String> OUTPUT_FORMATS =
      Set.of(
          "mp4",
          "mov",
          "ipod",
          "matroska",
          "webm",
          "avi",
          "flv",
          "mpegts",
          "mpeg",
          "3gp",
          "mp3",
          "adts",
          "wav",
          "flac",
          "ogg",
          "opus",
          "gif",
          "image2",
          "apng",
          "webp",
          "srt",
          "webvtt",
          "ass",
          // A parallel task's probe lists the packets of its input's video as text.
          "framecrc");

  private static final Pattern TIME =
      Pattern.compile(
          "-?(\\d{1,9}(\\.\\d{1,6})?(s|ms|us)?|(\\d{1,4}:)?\\d{1,2}:\\d{1,2}(\\.\\d{1,6})?)");
  private static final Pattern RATE =
      Pattern.compile("\\d{1,6}(\\.\\d{1,6})?(/\\d{1,6}(\\.\\d{1,6})?)?|ntsc|pal|film|ntsc-film");
  private static final Pattern SIZE = Pattern.compile("\\d{1,5}x\\d{1,5}|[a-z]{2,8}\\d{0,4}");
  private static final Pattern BITRATE = Pattern.compile("\\d{1,9}(\\.\\d{1,3})?[kKmM]?");
  private static final Pattern NUMBER = Pattern.compile("-?\\d{1,9}(\\.\\d{1,6})?");
  private static final Pattern COUNT = Pattern.compile("-?\\d{1,9}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}");
  private static final Pattern NAMES = Pattern.compile("[A-Za-z0-9_.+|-]{1,128}");
  private static final Pattern FLAGS = Pattern.compile("[A-Za-z0-9_+-]{1,128}");
  private static final Pattern ASPECT = Pattern.compile("\\d{1,5}(\\.\\d{1,6})?([:/]\\d{1,5})?");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9 ]{4}");
  private static final Pattern MAP =
      Pattern.compile("-?(\\d{1,3}(:[A-Za-z0-9_:#.-]{0,64})?|\\[[A-Za-z0-9_:.]{1,32}])\\??");
  private static final Pattern EXPRESSION = Pattern.compile("[A-Za-z0-9_:.,()*+/<>=-]{1,256}");
  private static final Pattern STREAM_SPECIFIER = Pattern.compile("[A-Za-z0-9_#.:-]{1,32}");
  private static final Pattern METADATA =
      Pattern.compile("[A-Za-z0-9_-]{1,32}=[^\\p{Cntrl}]{0,256}");
  private static final Pattern LOG_LEVEL = Pattern.compile("quiet|panic|fatal|error|warning");
  // A stream that ends with its input: an audio or video stream (-shortest passes over others)
  // of one input, by a plain index; "?" would let it match nothing.
  private static final Pattern BOUNDED_MAP = Pattern.compile("(0|[1-9]\\d{0,2}):[avV](:[^?]*)?");

  /** Where an option may stand. */
  private enum Place {
    INPUT,
    OUTPUT,
    BOTH,
    ANYWHERE
  }

  /** What an option's value must be; {@link #FLAG} takes none. */
  private enum Value {
    FLAG,
    TIME,
    RATE,
    SIZE,
    BITRATE,
    NUMBER,
    NAME,
    NAMES,
    FLAGS,
    ASPECT,
    TAG,
    MAP,
    EXPRESSION,
    LOG_LEVEL,
    METADATA,
    FILTERGRAPH,
    FORMAT,
    THREADS,
    LOOP_COUNT
  }

  private record Option(Place place, Value value, boolean perStream) {}

  private static final Map<String, Option> OPTIONS = new HashMap<>();

  private static void allow(Place place, Value value, boolean perStream, String... names) {
    for (String name : names) {
      OPTIONS.put(name, new Option(place, value, perStream));
    }
  }

  static {
    // Harmless repeats of what the server sets anyway; clients send them out of habit.
    allow(Place.ANYWHERE, Value.FLAG, false, "y", "hide_banner", "nostats", "nostdin");
    allow(Place.ANYWHERE, Value.LOG_LEVEL, false, "loglevel", "v");
    allow(Place.ANYWHERE, Value.FILTERGRAPH, false, "filter_complex", "lavfi");
    allow(Place.ANYWHERE, Value.THREADS, false, "filter_complex_threads");
    allow(Place.BOTH, Value.THREADS, false, "threads", "filter_threads");
    allow(Place.BOTH, Value.TIME, false, "ss", "t", "to");
    allow(Place.INPUT, Value.TIME, false, "sseof", "itsoffset");
    allow(Place.INPUT, Value.FLAG, false, "accurate_seek", "noaccurate_seek", "re");
    allow(Place.INPUT, Value.FLAG, false, "autorotate", "noautorotate");
    allow(Place.INPUT, Value.NUMBER, false, "readrate", "display_rotation");
    allow(Place.INPUT, Value.LOOP_COUNT, false, "stream_loop");
    allow(Place.BOTH, Value.FORMAT, false, "f");
    allow(Place.BOTH, Value.RATE, true, "r");
    allow(Place.BOTH, Value.SIZE, true, "s");
    allow(Place.BOTH, Value.NAME, true, "c", "codec", "pix_fmt", "sample_fmt");
    allow(Place.BOTH, Value.NAME, false, "vcodec", "acodec", "scodec");
    allow(Place.BOTH, Value.NUMBER, true, "ac", "ar");
    allow(Place.BOTH, Value.NAME, true, "ch_layout", "channel_layout");
    allow(Place.OUTPUT, Value.FILTERGRAPH, true, "filter");
    allow(Place.OUTPUT, Value.FILTERGRAPH, false, "vf", "af");
    allow(Place.OUTPUT, Value.BITRATE, true, "b", "maxrate", "minrate", "bufsize");
    allow(Place.OUTPUT, Value.BITRATE, false, "ab", "vb");
    allow(Place.OUTPUT, Value.NUMBER, true, "crf", "qp", "q", "qscale", "qmin", "qmax", "cq");
    allow(Place.OUTPUT, Value.NUMBER, true, "g", "keyint_min", "bf", "refs", "sc_threshold");
    allow(Place.OUTPUT, Value.NUMBER, true, "frames", "level", "cpu-used", "row-mt", "crf_max");
    allow(Place.OUTPUT, Value.NUMBER, false, "vframes", "aframes", "max_muxing_queue_size");
    allow(Place.OUTPUT, Value.NUMBER, false, "update", "loop", "final_delay");
    // A parallel task's mp4 segments: ffmpeg 5.1's concat demuxer times each file by the movie
    // duration, which the default timescale (1000) rounds to milliseconds.
    allow(Place.OUTPUT, Value.NUMBER, false, "movie_timescale");
    allow(Place.OUTPUT, Value.NAME, true, "preset", "tune", "profile", "deadline", "quality");
    allow(Place.OUTPUT, Value.NAME, false, "fps_mode", "vsync", "avoid_negative_ts", "strict");
    allow(Place.OUTPUT, Value.NAME, true, "color_primaries", "color_trc", "colorspace");
    allow(Place.OUTPUT, Value.NAME, true, "color_range", "bsf");
    allow(Place.OUTPUT, Value.NAMES, true, "disposition");
    allow(Place.OUTPUT, Value.FLAGS, false, "movflags", "fflags", "sws_flags", "flags");
    allow(Place.OUTPUT, Value.ASPECT, true, "aspect");
    allow(Place.OUTPUT, Value.TAG, true, "tag");
    allow(Place.OUTPUT, Value.TAG, false, "vtag", "atag");
    allow(Place.OUTPUT, Value.MAP, false, "map");
    allow(Place.OUTPUT, Value.METADATA, true, "metadata");
    allow(Place.OUTPUT, Value.EXPRESSION, true, "force_key_frames");
    allow(Place.OUTPUT, Value.FLAG, false, "an", "vn", "sn", "dn", "shortest", "copyts");
    allow(Place.OUTPUT, Value.FLAG, false, "start_at_zero");
  }

  private CommandPolicy() {}

  /**
   * Adds a problem for each way the classified command breaks the grammar.
   *
   * @param args the command's arguments, placeholders already told apart from literals
   * @param concatLists names of the placeholders that are concat lists
   */
  static void check(List<Arg> args, Set<String> concatLists, List<String> problems) {
    int before = problems.size();
    checkGrammar(args, concatLists, problems);
    if (problems.size() == before) {
      checkEndlessInputs(args, problems);
    }
  }

  private static void checkGrammar(List<Arg> args, Set<String> concatLists, List<String> problems) {
    List<Integer> pending = new ArrayList<>();
    boolean outputSeen = false;
    for (int i = 0; i < args.size(); i++) {
      Arg arg = args.get(i);
      if (arg.kind() == Kind.OUTPUT) {
        checkPending(args, pending, Place.OUTPUT, null, problems);
        pending.clear();
        outputSeen = true;
        continue;
      }
      if (arg.kind() == Kind.INPUT) {
        continue; // TaskCommand made sure it follows -i
      }
      String token = arg.value();
      if (token.equals("-i")) {
        if (outputSeen) {
          problems.add("every -i must come before the first output");
        }
        boolean hasInput = i + 1 < args.size() && args.get(i + 1).kind() == Kind.INPUT;
        String list =
            hasInput && concatLists.contains(args.get(i + 1).value())
                ? args.get(i + 1).value()
                : null;
        checkPending(args, pending, Place.INPUT, list, problems);
        pending.clear();
        continue;
      }
      if (!token.startsWith("-") || token.length() == 1 || isNumber(token)) {
        problems.add(
            "'"
                + TaskCommand.abbreviate(token)
                + "' is not allowed here: files may only be named by input and output"
                + " placeholders");
        continue;
      }
      Option option = option(token);
      if (option == null) {
        problems.add(
            "the option '"
                + TaskCommand.abbreviate(token)
                + "' is not allowed (see docs/security.md for the options a command may use)");
        if (i + 1 < args.size() && args.get(i + 1).kind() == Kind.LITERAL) {
          String next = args.get(i + 1).value();
          if (!next.startsWith("-") || isNumber(next)) {
            i++; // its value; one problem is enough
          }
        }
        continue;
      }
      if (option.value() == Value.FLAG) {
        pending.add(i);
        continue;
      }
      if (i + 1 >= args.size() || args.get(i + 1).kind() != Kind.LITERAL) {
        problems.add("the option '" + TaskCommand.abbreviate(token) + "' needs a value");
        continue;
      }
      pending.add(i);
      i++;
    }
    if (!pending.isEmpty()) {
      problems.add(
          "options after the last output have no effect: '"
              + TaskCommand.abbreviate(args.get(pending.get(0)).value())
              + "'; put them before an output");
    }
  }

  /** Checks the options gathered before an {@code -i} or an output, now that we know which. */
  private static void checkPending(
      List<Arg> args,
      List<Integer> pending,
      Place place,
      String concatList,
      List<String> problems) {
    for (int index : pending) {
      String token = args.get(index).value();
      Option option = option(token);
      if (option.place() == Place.INPUT && place != Place.INPUT
          || option.place() == Place.OUTPUT && place != Place.OUTPUT) {
        problems.add(
            "the option '"
                + TaskCommand.abbreviate(token)
                + "' may only be used "
                + (option.place() == Place.INPUT ? "before -i" : "before an output"));
        continue;
      }
      if (option.value() == Value.FLAG) {
        continue;
      }
      String value = args.get(index + 1).value();
      if (option.value() == Value.FILTERGRAPH) {
        FilterGraphPolicy.check(token, value, problems);
        continue;
      }
      String problem = checkValue(option.value(), value, place, concatList);
      if (problem != null) {
        problems.add("the option '" + TaskCommand.abbreviate(token) + "' " + problem);
      }
    }
  }

  private static String checkValue(Value type, String value, Place place, String concatList) {
    return switch (type) {
      case FLAG -> null;
      case TIME -> matches(TIME, value, "needs a time such as 5, 1.5s, 500ms or 00:01:02.5");
      case RATE -> matches(RATE, value, "needs a rate such as 30 or 30000/1001");
      case SIZE -> matches(SIZE, value, "needs a size such as 1280x720");
      case BITRATE -> matches(BITRATE, value, "needs a bit rate such as 800k or 2M");
      case NUMBER -> matches(NUMBER, value, "needs a number");
      case NAME -> matches(NAME, value, "needs a plain name (letters, digits, _ . + -)");
      case NAMES -> matches(NAMES, value, "needs plain names");
      case FLAGS -> matches(FLAGS, value, "needs flags such as +faststart");
      case ASPECT -> matches(ASPECT, value, "needs an aspect ratio such as 16:9");
      case TAG -> matches(TAG, value, "needs a four-character tag");
      case MAP -> matches(MAP, value, "needs a stream such as 0:v:0 or a filter label [out]");
      case EXPRESSION -> matches(EXPRESSION, value, "needs a plain expression");
      case METADATA -> matches(METADATA, value, "needs key=value with a plain key");
      case LOG_LEVEL ->
          matches(LOG_LEVEL, value, "may only be quiet, panic, fatal, error or warning");
      case THREADS -> {
        String problem = matches(NUMBER, value, "needs a number of threads");
        yield problem != null || inRange(value, 0, 64) ? problem : "must be between 0 and 64";
      }
      case LOOP_COUNT -> {
        String problem = matches(COUNT, value, "needs a whole number of loops");
        // -1 loops forever: checkEndlessInputs says where that may be.
        yield problem != null || inRange(value, -1, 100)
            ? problem
            : "must be between 0 and 100, or -1 to loop forever";
      }
      case FORMAT -> {
        if (place == Place.INPUT) {
          // The worker opens each input with the format it probed; only concat lists are named.
          yield concatList != null && value.equals("concat")
              ? null
              : "is set by the server for inputs (each is opened as the format it really is);"
                  + " only '-f concat' before a concat list is allowed";
        }
        yield OUTPUT_FORMATS.contains(value)
            ? null
            : "names an output format that is not allowed; allowed: "
                + String.join(", ", OUTPUT_FORMATS.stream().sorted().toList());
      }
      case FILTERGRAPH -> throw new IllegalStateException("filter graphs are checked apart");
    };
  }

  /** An option given before an {@code -i} or an output, with its value (null for a flag). */
  private record Setting(String name, String token, String value) {}

  /** What the rule on endless inputs needs to know of an output. */
  private record Output(String name, boolean timed, boolean shortest, List<String> maps) {}

  /**
   * Refuses an input looped forever ({@code -stream_loop} below 0, without its own {@code -t} or
   * {@code -to}) unless every output ends by itself:
   *
   * <ul>
   *   <li>it has {@code -t} or {@code -to}, or {@code -frames} for all its streams; or
   *   <li>it has {@code -shortest} and maps a stream that ends: an audio or video stream of an
   *       input not looped forever ({@code -map 1:a:0}), or an output of a {@code -filter_complex}
   *       graph. Then no complex graph may read an endless input, by a label or by an input left
   *       without one: -shortest does not stop a stream that comes out of a filter graph in every
   *       ffmpeg (5.1, which the images carry, runs such a command forever). Graphs read only
   *       inputs that end, and their sources have durations, so their outputs end too.
   * </ul>
   *
   * <p>Inputs are fetched files of bounded size and every task has a deadline and caps, but those
   * only stop a run that goes on; this refuses it before it starts, with a reason.
   */
  private static void checkEndlessInputs(List<Arg> args, List<String> problems) {
    List<String> inputs = new ArrayList<>(); // placeholder names by ffmpeg's input index
    Set<Integer> endless = new TreeSet<>();
    List<Output> outputs = new ArrayList<>();
    List<String> graphs = new ArrayList<>();
    List<Setting> pending = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      Arg arg = args.get(i);
      if (arg.kind() == Kind.OUTPUT) {
        outputs.add(output(arg.value(), pending));
        pending.clear();
      } else if (arg.kind() == Kind.INPUT) {
        if (loopsForever(pending)) {
          endless.add(inputs.size());
        }
        inputs.add(arg.value());
        pending.clear();
      } else if (!arg.value().equals("-i")) {
        Option option = option(arg.value());
        if (option == null || option.value() != Value.FLAG && i + 1 >= args.size()) {
          continue; // the grammar has refused it already
        }
        String value = option.value() == Value.FLAG ? null : args.get(++i).value();
        if (option.value() == Value.FILTERGRAPH && option.place() == Place.ANYWHERE) {
          graphs.add(value); // -filter_complex, -lavfi: bound after every input is open
        } else {
          pending.add(new Setting(baseName(arg.value().substring(1)), arg.value(), value));
        }
      }
    }
    if (endless.isEmpty()) {
      return;
    }
    String looping =
        endless.stream()
                .map(index -> "'" + inputs.get(index) + "'")
                .reduce((a, b) -> a + ", " + b)
                .map(names -> endless.size() == 1 ? "input " + names : "inputs " + names)
                .orElseThrow()
            + (endless.size() == 1 ? " loops" : " loop")
            + " forever (-stream_loop -1)";
    boolean endedByShortest = false;
    for (Output output : outputs) {
      if (output.timed()) {
        continue;
      }
      if (output.shortest() && output.maps().stream().anyMatch(map -> endsByItself(map, endless))) {
        endedByShortest = true;
        continue;
      }
      problems.add(
          "output '"
              + output.name()
              + "' would never end: "
              + looping
              + "; give the output -t or -to, or -shortest with a -map of an audio or video"
              + " stream that ends (of an input not looped forever, such as -map 1:a:0, or of a"
              + " -filter_complex output)");
    }
    if (endedByShortest) {
      for (String graph : graphs) {
        checkGraphReadsNoEndlessInput(graph, inputs, endless, looping, problems);
      }
    }
  }

  private static boolean loopsForever(List<Setting> inputOptions) {
    boolean endless = false;
    for (Setting setting : inputOptions) {
      switch (setting.name()) {
        case "stream_loop" -> endless |= setting.value().startsWith("-");
        case "t", "to" -> {
          return false; // ffmpeg stops reading the input there, loops included
        }
        default -> {}
      }
    }
    return endless;
  }

  private static Output output(String name, List<Setting> outputOptions) {
    boolean timed = false;
    boolean shortest = false;
    List<String> maps = new ArrayList<>();
    for (Setting setting : outputOptions) {
      // -frames:v would leave the audio running, and need not match any stream.
      timed |= setting.name().equals("t") || setting.name().equals("to");
      timed |= setting.token().equals("-frames");
      shortest |= setting.name().equals("shortest");
      if (setting.name().equals("map")) {
        maps.add(setting.value());
      }
    }
    return new Output(name, timed, shortest, maps);
  }

  /** Whether a {@code -map} picks a stream that ends: from a graph, or from an input that ends. */
  private static boolean endsByItself(String map, Set<Integer> endless) {
    if (map.startsWith("[")) {
      return !map.endsWith("?"); // checkGraphReadsNoEndlessInput sees to the graph
    }
    Matcher bounded = BOUNDED_MAP.matcher(map);
    return bounded.matches() && !endless.contains(Integer.parseInt(bounded.group(1)));
  }

  private static void checkGraphReadsNoEndlessInput(
      String graph,
      List<String> inputs,
      Set<Integer> endless,
      String looping,
      List<String> problems) {
    FilterGraphPolicy.Inputs read = FilterGraphPolicy.inputs(graph);
    String why =
        "; -shortest, which ends an output here, does not stop a stream that a filter graph makes"
            + " in every ffmpeg version (5.1 runs on forever): map the looped stream directly"
            + " (such as -map 0:v:0), or end the output with -t";
    for (String label : read.labels()) {
      int index = inputIndex(label);
      if (index < 0) {
        problems.add(
            "-filter_complex may not read ["
                + TaskCommand.abbreviate(label)
                + "]: its number is too large to tell which input ffmpeg reads, and "
                + looping
                + why);
      } else if (endless.contains(index)) {
        problems.add(
            "-filter_complex may not read ["
                + TaskCommand.abbreviate(label)
                + "]: that is input '"
                + inputs.get(index)
                + "', which loops forever (-stream_loop -1)"
                + why);
      }
    }
    if (read.unlabeled()) {
      problems.add(
          "-filter_complex: every input of a filter must be named (such as [1:a:0]) or follow the"
              + " filter before it, since ffmpeg gives an unnamed one the first free stream of"
              + " its type, whichever input that is, and "
              + looping
              + why);
    }
  }

  /**
   * The input a complex graph's input label reads, as ffmpeg finds it: C's {@code strtol} in base 0
   * over the label's start ({@code 0x1} is 1, {@code 010} is 8, a label without a number is 0); -1
   * when the number is beyond an index.
   */
  static int inputIndex(String label) {
    int radix = 10;
    int start = 0;
    if (label.matches("0[xX][0-9a-fA-F].*")) {
      radix = 16;
      start = 2;
    } else if (label.startsWith("0")) {
      radix = 8;
    }
    int end = start;
    while (end < label.length() && Character.digit(label.charAt(end), radix) >= 0) {
      end++;
    }
    if (end == start) {
      return 0;
    }
    BigInteger number = new BigInteger(label.substring(start, end), radix);
    return number.bitLength() < 31 ? number.intValue() : -1;
  }

  private static Option option(String token) {
    String name = token.substring(1);
    String base = baseName(name);
    Option option = OPTIONS.get(base);
    if (option == null) {
      return null;
    }
    if (!base.equals(name)) {
      String specifier = name.substring(base.length() + 1);
      if (!option.perStream() || !STREAM_SPECIFIER.matcher(specifier).matches()) {
        return null;
      }
    }
    return option;
  }

  private static String baseName(String name) {
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }

  private static boolean isNumber(String token) {
    return NUMBER.matcher(token).matches();
  }

  private static boolean inRange(String value, double min, double max) {
    double number = Double.parseDouble(value);
    return number >= min && number <= max;
  }

  private static String matches(Pattern pattern, String value, String problem) {
    return pattern.matcher(value).matches() ? null : problem;
  }
}
