package io.ffmpegoperator.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task's command split into the parts a parallel encode runs apart: the video options of the
 * segments, the audio options of the audio child and the muxer options of the join.
 *
 * <p>A deliberately small version, enough to build the orchestration against: it takes commands of
 * the form {@code -i in_1 [options] out_1} whose options are all in the short lists below, each
 * with one value. The full grammar (filters checked one by one, more options) replaces it.
 */
public final class SplitCommand {
  private static final Set<String> VIDEO =
      Set.of(
          "-c:v",
          "-vcodec",
          "-crf",
          "-qp",
          "-preset",
          "-tune",
          "-profile:v",
          "-level",
          "-pix_fmt",
          "-b:v",
          "-maxrate",
          "-minrate",
          "-bufsize",
          "-g",
          "-vf",
          "-x264-params");
  private static final Set<String> AUDIO = Set.of("-c:a", "-acodec", "-b:a", "-ar", "-ac", "-af");
  private static final Set<String> MUX = Set.of("-movflags", "-f");
  private static final Set<String> CROSS_FRAME_FILTERS =
      Set.of(
          "fps",
          "framerate",
          "setpts",
          "minterpolate",
          "tblend",
          "tmix",
          "yadif",
          "bwdif",
          "hqdn3d",
          "deflicker",
          "select",
          "trim",
          "reverse",
          "loop",
          "drawtext");

  private final List<String> videoArgs;
  private final List<String> audioArgs;
  private final boolean audio;
  private final List<String> muxArgs;
  private final String inputName;
  private final String outputName;

  private SplitCommand(
      List<String> videoArgs,
      List<String> audioArgs,
      boolean audio,
      List<String> muxArgs,
      String inputName,
      String outputName) {
    this.videoArgs = List.copyOf(videoArgs);
    this.audioArgs = List.copyOf(audioArgs);
    this.audio = audio;
    this.muxArgs = List.copyOf(muxArgs);
    this.inputName = inputName;
    this.outputName = outputName;
  }

  /**
   * The command split for a parallel encode.
   *
   * @throws InvalidTaskException saying why the command cannot be split
   */
  public static SplitCommand parse(TaskCommand.Request request) throws InvalidTaskException {
    Map<String, String> inputs = request.inputs() == null ? Map.of() : request.inputs();
    Map<String, String> outputs = request.outputs() == null ? Map.of() : request.outputs();
    if (inputs.size() != 1 || outputs.size() != 1) {
      throw refused("a parallel task needs exactly one input and one output");
    }
    String input = inputs.keySet().iterator().next();
    String output = outputs.keySet().iterator().next();
    List<String> tokens =
        request.command() == null ? List.of() : List.of(request.command().trim().split("\\s+"));
    if (tokens.size() < 3
        || !tokens.get(0).equals("-i")
        || !unbraced(tokens.get(1)).equals(input)
        || !unbraced(tokens.get(tokens.size() - 1)).equals(output)) {
      throw refused("a parallel task's command must read '-i " + input + " ... " + output + "'");
    }
    List<String> video = new ArrayList<>();
    List<String> audioArgs = new ArrayList<>();
    List<String> mux = new ArrayList<>();
    boolean audio = true;
    boolean encodes = false;
    for (int i = 2; i < tokens.size() - 1; i++) {
      String option = tokens.get(i);
      if (option.equals("-an")) {
        audio = false;
        continue;
      }
      if (i + 1 >= tokens.size() - 1) {
        throw refused("option " + option + " cannot be split in a parallel task");
      }
      String value = tokens.get(++i);
      if (VIDEO.contains(option)) {
        if ((option.equals("-c:v") || option.equals("-vcodec")) && value.equals("copy")) {
          throw refused("video stream copy (-c:v copy) has nothing to encode in parallel");
        }
        if (option.equals("-vf")) {
          for (String filter : value.split("[,;]")) {
            String name = filter.split("=", 2)[0].trim();
            if (CROSS_FRAME_FILTERS.contains(name)) {
              throw refused(
                  "filter '" + name + "' looks across frames or changes timing: not splittable");
            }
          }
        }
        encodes |= option.equals("-c:v") || option.equals("-vcodec");
        video.add(option);
        video.add(value);
      } else if (AUDIO.contains(option)) {
        audioArgs.add(option);
        audioArgs.add(value);
      } else if (MUX.contains(option)) {
        mux.add(option);
        mux.add(value);
      } else {
        throw refused("option " + option + " cannot be split in a parallel task");
      }
    }
    if (!encodes) {
      throw refused("a parallel task must name its video encoder with -c:v");
    }
    return new SplitCommand(video, audioArgs, audio, mux, input, output);
  }

  private static String unbraced(String token) {
    return token.startsWith("{{") && token.endsWith("}}")
        ? token.substring(2, token.length() - 2).trim()
        : token;
  }

  private static InvalidTaskException refused(String why) {
    return new InvalidTaskException(List.of(why));
  }

  /** The options each segment encodes its video with. */
  public List<String> videoArgs() {
    return videoArgs;
  }

  /** The options the audio child encodes the audio with. */
  public List<String> audioArgs() {
    return audioArgs;
  }

  /** Whether the output has audio at all (no {@code -an}). */
  public boolean audio() {
    return audio;
  }

  /** The options of the join's output: its muxer and its flags. */
  public List<String> muxArgs() {
    return muxArgs;
  }

  public String inputName() {
    return inputName;
  }

  public String outputName() {
    return outputName;
  }
}
