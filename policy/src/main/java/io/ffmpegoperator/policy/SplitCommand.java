package io.ffmpegoperator.policy;

import io.ffmpegoperator.policy.TaskCommand.Arg;
import io.ffmpegoperator.policy.TaskCommand.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command that a parallel task may run as segments, taken apart: the video options each segment
 * encodes with, the audio options the one audio run uses, and the output options of the join.
 *
 * <p>A command can be split when encoding its frames in pieces gives what one run gives: one input,
 * one output, a named CPU video encoder, and video filters that work on each frame alone. Anything
 * that looks across frames, counts time or frames from the start of the input, or changes timing is
 * refused with the reason, since each segment starts its own clock at its first keyframe.
 *
 * @param inputName the placeholder name of the one input
 * @param outputName the placeholder name of the one output
 * @param videoArgs the encoder options and {@code -vf} of each segment, as written
 * @param audio false when the command drops the audio ({@code -an}, or maps no audio stream)
 * @param audioArgs the audio encoder options and {@code -af}, as written; empty without audio
 * @param muxArgs the output options of the join ({@code -movflags}, {@code -f}, {@code -metadata},
 *     tags and bitstream filters, which work on copied streams)
 */
public record SplitCommand(
    String inputName,
    String outputName,
    List<String> videoArgs,
    boolean audio,
    List<String> audioArgs,
    List<String> muxArgs) {

  /**
   * Video encoders that run on the CPU and whose streams mp4 holds: segments are written as mp4,
   * whose time base is the encoder's own, so timestamps join exactly at any frame rate (matroska
   * counts whole milliseconds, which 24 or 30000/1001 fps frames are not).
   */
  static final Set<String> VIDEO_ENCODERS =
      Set.of(
          "libx264",
          "libx264rgb",
          "libx265",
          "libvpx-vp9",
          "libaom-av1",
          "libsvtav1",
          "librav1e",
          "libopenh264",
          "mpeg4",
          "libxvid",
          "mpeg2video");

  private static final Pattern HARDWARE_ENCODER =
      Pattern.compile(".*_(nvenc|vaapi|qsv|videotoolbox|amf|v4l2m2m|mf|omx|mediacodec|vulkan)");

  /** Video filters that make each output frame from the same input frame alone. */
  static final Set<String> FRAME_FILTERS =
      Set.of(
          "scale",
          "crop",
          "pad",
          "format",
          "setsar",
          "setdar",
          "transpose",
          "hflip",
          "vflip",
          "rotate",
          "eq",
          "hue",
          "unsharp",
          "boxblur",
          "gblur",
          "drawbox",
          "negate",
          "edgedetect",
          "chromakey",
          "colorkey",
          "null",
          "copy");

  // Expression variables that count time or frames from the start of what a filter sees: they
  // restart at each segment.
  private static final Pattern TIME_VARIABLE =
      Pattern.compile("(?<![A-Za-z0-9_])(t|n|T|N|pos|pts|PTS)(?![A-Za-z0-9_(])");
  private static final Pattern FILTER_NAME =
      Pattern.compile("(?:\\[[^\\[\\]]*]\\s*)*([A-Za-z0-9_]+)(?:@[A-Za-z0-9_]+)?(?:=(.*))?");
  private static final Pattern VIDEO_STREAM = Pattern.compile("v(:0)?");
  private static final Pattern AUDIO_STREAM = Pattern.compile("a(:0)?");
  private static final Pattern VIDEO_MAP = Pattern.compile("0(:v(:0)?)?\\??");
  private static final Pattern AUDIO_MAP = Pattern.compile("0(:a(:0)?)?\\??");

  /** Where an output option of the user's command goes. */
  private enum Home {
    /** Each segment. */
    VIDEO,
    /** The audio run. */
    AUDIO,
    /** The segments or the audio run, by its stream specifier ({@code :v} or {@code :a}). */
    STREAM,
    /** Both encoders: segments and the audio run. */
    ENCODERS,
    /** The join. */
    MUX,
    /** Nowhere: it changes nothing in the output. */
    DROP
  }

  private static final Map<String, Home> OUTPUT_HOMES =
      Map.ofEntries(
          Map.entry("vcodec", Home.VIDEO),
          Map.entry("vb", Home.VIDEO),
          Map.entry("vf", Home.VIDEO),
          Map.entry("crf", Home.VIDEO),
          Map.entry("qp", Home.VIDEO),
          Map.entry("cq", Home.VIDEO),
          Map.entry("crf_max", Home.VIDEO),
          Map.entry("qmin", Home.VIDEO),
          Map.entry("qmax", Home.VIDEO),
          Map.entry("preset", Home.VIDEO),
          Map.entry("tune", Home.VIDEO),
          Map.entry("level", Home.VIDEO),
          Map.entry("g", Home.VIDEO),
          Map.entry("keyint_min", Home.VIDEO),
          Map.entry("bf", Home.VIDEO),
          Map.entry("refs", Home.VIDEO),
          Map.entry("sc_threshold", Home.VIDEO),
          Map.entry("cpu-used", Home.VIDEO),
          Map.entry("row-mt", Home.VIDEO),
          Map.entry("deadline", Home.VIDEO),
          Map.entry("quality", Home.VIDEO),
          Map.entry("pix_fmt", Home.VIDEO),
          Map.entry("s", Home.VIDEO),
          Map.entry("aspect", Home.VIDEO),
          Map.entry("color_primaries", Home.VIDEO),
          Map.entry("color_trc", Home.VIDEO),
          Map.entry("colorspace", Home.VIDEO),
          Map.entry("color_range", Home.VIDEO),
          Map.entry("sws_flags", Home.VIDEO),
          Map.entry("filter_threads", Home.VIDEO),
          Map.entry("acodec", Home.AUDIO),
          Map.entry("ab", Home.AUDIO),
          Map.entry("af", Home.AUDIO),
          Map.entry("ar", Home.AUDIO),
          Map.entry("ac", Home.AUDIO),
          Map.entry("ch_layout", Home.AUDIO),
          Map.entry("channel_layout", Home.AUDIO),
          Map.entry("sample_fmt", Home.AUDIO),
          Map.entry("c", Home.STREAM),
          Map.entry("codec", Home.STREAM),
          Map.entry("b", Home.STREAM),
          Map.entry("maxrate", Home.STREAM),
          Map.entry("minrate", Home.STREAM),
          Map.entry("bufsize", Home.STREAM),
          Map.entry("q", Home.STREAM),
          Map.entry("qscale", Home.STREAM),
          Map.entry("profile", Home.STREAM),
          Map.entry("filter", Home.STREAM),
          Map.entry("threads", Home.ENCODERS),
          Map.entry("strict", Home.ENCODERS),
          Map.entry("flags", Home.ENCODERS),
          Map.entry("f", Home.MUX),
          Map.entry("movflags", Home.MUX),
          Map.entry("fflags", Home.MUX),
          Map.entry("metadata", Home.MUX),
          Map.entry("disposition", Home.MUX),
          Map.entry("max_muxing_queue_size", Home.MUX),
          Map.entry("avoid_negative_ts", Home.MUX),
          Map.entry("shortest", Home.MUX),
          Map.entry("tag", Home.MUX),
          Map.entry("vtag", Home.MUX),
          Map.entry("atag", Home.MUX),
          Map.entry("bsf", Home.MUX),
          Map.entry("y", Home.DROP),
          Map.entry("hide_banner", Home.DROP),
          Map.entry("nostats", Home.DROP),
          Map.entry("nostdin", Home.DROP),
          Map.entry("loglevel", Home.DROP),
          Map.entry("v", Home.DROP),
          Map.entry("sn", Home.DROP),
          Map.entry("dn", Home.DROP));

  /** Input options that change nothing in what a segment decodes. */
  private static final Set<String> HARMLESS_INPUT_OPTIONS =
      Set.of(
          "y",
          "hide_banner",
          "nostats",
          "nostdin",
          "loglevel",
          "v",
          "threads",
          "re",
          "readrate",
          "accurate_seek",
          "noaccurate_seek",
          "autorotate",
          "filter_complex_threads");

  /** Why an option that the ordinary policy allows cannot be split. */
  private static final Map<String, String> REFUSED =
      Map.ofEntries(
          Map.entry(
              "filter_complex",
              "-filter_complex cannot be split into segments; use -vf with filters that work"
                  + " on each frame alone"),
          Map.entry(
              "lavfi",
              "-lavfi cannot be split into segments; use -vf with filters that work on each"
                  + " frame alone"),
          Map.entry("ss", timing("-ss")),
          Map.entry("t", timing("-t")),
          Map.entry("to", timing("-to")),
          Map.entry("sseof", timing("-sseof")),
          Map.entry("itsoffset", timing("-itsoffset")),
          Map.entry("frames", timing("-frames")),
          Map.entry("vframes", timing("-vframes")),
          Map.entry("aframes", timing("-aframes")),
          Map.entry("r", timing("-r")),
          Map.entry("fps_mode", timing("-fps_mode")),
          Map.entry("vsync", timing("-vsync")),
          Map.entry("copyts", timing("-copyts")),
          Map.entry("start_at_zero", timing("-start_at_zero")),
          Map.entry(
              "stream_loop", "looping the input (-stream_loop) cannot be split into segments"),
          Map.entry(
              "force_key_frames",
              "-force_key_frames counts time from the start of the input, which a segment does"
                  + " not see, so it cannot be split into segments"),
          Map.entry("vn", "-vn leaves no video to encode in segments; run it as an ordinary task"),
          Map.entry(
              "scodec",
              "a parallel task keeps only the first video and audio streams, so -scodec has"
                  + " nothing to encode"),
          Map.entry("update", imageOutput("-update")),
          Map.entry("loop", imageOutput("-loop")),
          Map.entry("final_delay", imageOutput("-final_delay")));

  public SplitCommand {
    videoArgs = List.copyOf(videoArgs);
    audioArgs = List.copyOf(audioArgs);
    muxArgs = List.copyOf(muxArgs);
  }

  /**
   * Checks the request with the ordinary policy, then whether its command can be split, and splits
   * it. The request's s3:// inputs are not held to a bucket here: the caller has parsed the request
   * with the platform's bucket already.
   *
   * @throws InvalidTaskException naming every reason the command cannot run or be split
   */
  public static SplitCommand parse(TaskCommand.Request request) throws InvalidTaskException {
    List<String> problems = new ArrayList<>();
    if (request.command() != null) {
      try {
        for (String token : CommandTokenizer.tokenize(request.command())) {
          // The ordinary policy refuses these too, but without saying why a parallel task must.
          if (token.equals("-pass") || token.startsWith("-pass:") || token.equals("-passlogfile")) {
            problems.add("two-pass encoding (-pass) cannot be split into segments");
            break;
          }
        }
      } catch (IllegalArgumentException e) {
        // TaskCommand.parse says what is wrong with the quoting.
      }
    }
    TaskCommand command;
    try {
      command = TaskCommand.parse(request, null);
    } catch (InvalidTaskException e) {
      problems.addAll(e.problems());
      throw new InvalidTaskException(problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidTaskException(problems);
    }
    return split(request, command.args());
  }

  private static SplitCommand split(TaskCommand.Request request, List<Arg> args)
      throws InvalidTaskException {
    List<String> problems = new ArrayList<>();
    if (request.concatLists() != null && !request.concatLists().isEmpty()) {
      problems.add("a parallel task cannot read a concat list; join the inputs first");
    }
    int inputs = (int) args.stream().filter(arg -> arg.kind() == Kind.INPUT).count();
    int outputs = (int) args.stream().filter(arg -> arg.kind() == Kind.OUTPUT).count();
    if (inputs != 1) {
      problems.add("a parallel task needs exactly one input, got " + inputs);
    }
    if (outputs != 1) {
      problems.add("a parallel task needs exactly one output, got " + outputs);
    }
    if (!problems.isEmpty()) {
      throw new InvalidTaskException(problems);
    }
    Parts parts = new Parts();
    boolean beforeInput = true;
    for (int i = 0; i < args.size(); i++) {
      Arg arg = args.get(i);
      if (arg.kind() == Kind.INPUT) {
        parts.inputName = arg.value();
        beforeInput = false;
        continue;
      }
      if (arg.kind() == Kind.OUTPUT) {
        parts.outputName = arg.value();
        continue;
      }
      String token = arg.value();
      if (token.equals("-i")) {
        continue;
      }
      String name = token.substring(1);
      String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
      String specifier = name.equals(base) ? null : name.substring(base.length() + 1);
      boolean flag = isFlag(args, i);
      String value = flag ? null : args.get(i + 1).value();
      if (!flag) {
        i++;
      }
      if (REFUSED.containsKey(base)) {
        problems.add(REFUSED.get(base));
      } else if (beforeInput) {
        if (!HARMLESS_INPUT_OPTIONS.contains(base)) {
          problems.add(
              "the input option '"
                  + token
                  + "' cannot be carried to the segments of a parallel task");
        }
      } else {
        parts.place(token, base, specifier, value, problems);
      }
    }
    parts.finish(problems);
    if (!problems.isEmpty()) {
      throw new InvalidTaskException(problems);
    }
    return new SplitCommand(
        parts.inputName,
        parts.outputName,
        parts.video,
        parts.audio(),
        parts.audio() ? parts.audio : List.of(),
        parts.mux);
  }

  /** Whether the option at {@code i} stands alone: the ordinary policy has checked the grammar. */
  private static boolean isFlag(List<Arg> args, int i) {
    String base = args.get(i).value().substring(1);
    return switch (base) {
      case "y",
          "hide_banner",
          "nostats",
          "nostdin",
          "accurate_seek",
          "noaccurate_seek",
          "re",
          "autorotate",
          "noautorotate",
          "an",
          "vn",
          "sn",
          "dn",
          "shortest",
          "copyts",
          "start_at_zero" ->
          true;
      default -> false;
    };
  }

  /** The split command as it is gathered. */
  private static final class Parts {
    final List<String> video = new ArrayList<>();
    final List<String> audio = new ArrayList<>();
    final List<String> mux = new ArrayList<>();
    String inputName;
    String outputName;
    boolean videoEncoder;
    boolean audioEncoder;
    boolean noAudio;
    boolean mapped;
    boolean videoMapped;
    boolean audioMapped;

    void place(String token, String base, String specifier, String value, List<String> problems) {
      if (base.equals("an")) {
        noAudio = true;
        return;
      }
      if (base.equals("map")) {
        map(value, problems);
        return;
      }
      Home home = OUTPUT_HOMES.get(base);
      if (home == null) {
        problems.add("the option '" + token + "' is not supported by a parallel task");
        return;
      }
      if (home == Home.STREAM) {
        if (specifier == null) {
          problems.add(
              "'"
                  + token
                  + "' would apply to video and audio alike; say which (-"
                  + base
                  + ":v or -"
                  + base
                  + ":a)");
          return;
        }
        home = VIDEO_STREAM.matcher(specifier).matches() ? Home.VIDEO : Home.AUDIO;
      }
      if (specifier != null && (home == Home.VIDEO || home == Home.AUDIO)) {
        Pattern stream = home == Home.VIDEO ? VIDEO_STREAM : AUDIO_STREAM;
        if (!stream.matcher(specifier).matches()) {
          problems.add(
              "'"
                  + token
                  + "' names a stream a parallel task does not keep: it keeps the first video"
                  + " and the first audio stream (:v or :v:0, :a or :a:0)");
          return;
        }
      }
      List<String> option = value == null ? List.of(token) : List.of(token, value);
      switch (home) {
        case VIDEO -> {
          if (base.equals("c") || base.equals("codec") || base.equals("vcodec")) {
            videoEncoder(value, problems);
          } else if (base.equals("vf") || base.equals("filter")) {
            checkVideoFilters(token, value, problems);
          }
          video.addAll(option);
        }
        case AUDIO -> {
          audioEncoder |= base.equals("c") || base.equals("codec") || base.equals("acodec");
          audio.addAll(option);
        }
        case ENCODERS -> {
          video.addAll(option);
          audio.addAll(option);
        }
        case MUX -> mux.addAll(option);
        case DROP, STREAM -> {}
      }
    }

    void videoEncoder(String encoder, List<String> problems) {
      videoEncoder = true;
      if (encoder.equals("copy")) {
        problems.add(
            "stream copy of video (-c:v copy) has nothing to encode in parallel; run it as an"
                + " ordinary task");
      } else if (HARDWARE_ENCODER.matcher(encoder).matches()) {
        problems.add(
            "the hardware encoder '"
                + encoder
                + "' is not split into segments; parallel tasks are for CPU encoders");
      } else if (!VIDEO_ENCODERS.contains(encoder)) {
        problems.add(
            "the video encoder '"
                + encoder
                + "' cannot be split into segments; use one of "
                + String.join(", ", VIDEO_ENCODERS.stream().sorted().toList()));
      }
    }

    void map(String value, List<String> problems) {
      mapped = true;
      boolean video = VIDEO_MAP.matcher(value).matches();
      boolean audio = AUDIO_MAP.matcher(value).matches();
      if (!video && !audio) {
        problems.add(
            "-map "
                + value
                + ": a parallel task keeps only the first video and the first audio stream of"
                + " its input (-map 0:v:0, -map 0:a:0?)");
      }
      videoMapped |= video;
      audioMapped |= audio;
    }

    boolean audio() {
      return !noAudio && (!mapped || audioMapped);
    }

    void finish(List<String> problems) {
      if (mapped && !videoMapped) {
        problems.add("a parallel task encodes video, but the command maps no video stream");
      }
      if (!videoEncoder) {
        problems.add("a parallel task must name its video encoder (such as -c:v libx264)");
      }
      // A segment or the audio file is written in a container other than the output's, whose
      // default encoder may differ from the one a single run would pick.
      if (audio() && !audioEncoder) {
        problems.add(
            "a parallel task must name its audio encoder (such as -c:a aac), or drop the audio"
                + " with -an");
      }
    }
  }

  /** Adds a problem for each filter of a video graph that a segment cannot run alone. */
  private static void checkVideoFilters(String option, String graph, List<String> problems) {
    for (String text : FilterGraphPolicy.split(graph, ",;")) {
      Matcher filter = FILTER_NAME.matcher(text.strip());
      if (!filter.matches()) {
        continue; // the ordinary policy has refused it already
      }
      String name = filter.group(1);
      if (!FRAME_FILTERS.contains(name)) {
        problems.add(
            option
                + ": the filter '"
                + name
                + "' looks across frames, counts frames or changes timing, so it cannot be split"
                + " into segments; filters that work on each frame alone are: "
                + String.join(", ", FRAME_FILTERS.stream().sorted().toList()));
        continue;
      }
      if (filter.group(2) == null) {
        continue;
      }
      for (String part : FilterGraphPolicy.split(filter.group(2), ":")) {
        int eq = part.indexOf('=');
        Matcher variable = TIME_VARIABLE.matcher(eq < 0 ? part : part.substring(eq + 1));
        if (variable.find()) {
          problems.add(
              option
                  + ": the filter '"
                  + name
                  + "' uses '"
                  + variable.group(1)
                  + "', which counts from the start of each segment, so it cannot be split into"
                  + " segments");
          break;
        }
      }
    }
  }

  private static String timing(String option) {
    return "timing options (" + option + ") cannot be split into segments; cut the input first";
  }

  private static String imageOutput(String option) {
    return option + " is an option of image outputs, which are not split into segments";
  }
}
