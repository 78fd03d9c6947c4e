package io.ffmpegoperator.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's command, tokenised (no shell is ever involved) and checked against the task's declared
 * inputs and outputs. The bridge calls {@link #parse} before it creates a resource and the operator
 * calls it again before it creates a Job, so both refuse the same specs.
 */
public final class TaskCommand {
  public static final int MAX_COMMAND_LENGTH = 8192;
  public static final int MAX_INPUTS = 16;
  public static final int MAX_OUTPUTS = 16;

  private static final Pattern BRACED = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
  private static final Pattern URL_EXTENSION = Pattern.compile("\\.([A-Za-z0-9]{1,8})$");

  /** What an argument of the command is. */
  public enum Kind {
    /** Passed to ffmpeg as written. */
    LITERAL,
    /** A placeholder replaced by the local path of a fetched input or of a concat list. */
    INPUT,
    /** A placeholder replaced by the local path ffmpeg writes an output to. */
    OUTPUT
  }

  /**
   * One argument of the command.
   *
   * @param value the text of a literal, or the placeholder name of an input or output
   */
  public record Arg(Kind kind, String value) {}

  private final List<Arg> args;
  private final Set<String> concatLists;

  private TaskCommand(List<Arg> args, Set<String> concatLists) {
    this.args = List.copyOf(args);
    this.concatLists = Set.copyOf(concatLists);
  }

  public List<Arg> args() {
    return args;
  }

  /**
   * What a task asks to run, as its spec declares it (the bridge's register body or an FfmpegTask's
   * spec); any part may be null.
   *
   * @param command the ffmpeg command line, without "ffmpeg"
   * @param inputs placeholder name to URL
   * @param outputs placeholder name to output file name
   * @param concatLists placeholder name to the inputs an ffconcat list joins, in order
   */
  public record Request(
      String command,
      Map<String, String> inputs,
      Map<String, String> outputs,
      Map<String, List<String>> concatLists) {
    public Request(String command, Map<String, String> inputs, Map<String, String> outputs) {
      this(command, inputs, outputs, null);
    }

    public Request withConcatLists(Map<String, List<String>> lists) {
      return new Request(command, inputs, outputs, lists);
    }
  }

  /**
   * Checks what a task asks to run and returns its parsed command.
   *
   * @param bucket the platform's bucket: the only one s3:// inputs may name
   * @throws InvalidTaskException listing every problem found
   */
  public static TaskCommand parse(Request request, String bucket) throws InvalidTaskException {
    List<String> problems = new ArrayList<>();
    Map<String, String> inputs = request.inputs() == null ? Map.of() : request.inputs();
    Map<String, String> outputs = request.outputs() == null ? Map.of() : request.outputs();
    Map<String, List<String>> lists =
        request.concatLists() == null ? Map.of() : request.concatLists();
    TaskDeclarations.checkInputs(inputs, lists, bucket, problems);
    TaskDeclarations.checkOutputs(outputs, problems);
    TaskDeclarations.checkConcatLists(lists, inputs, outputs, problems);
    for (String name : inputs.keySet()) {
      if (outputs.containsKey(name)) {
        problems.add("'" + name + "' is declared both as an input and as an output");
      }
    }
    List<Arg> parsed = parseCommand(request.command(), inputs, lists, outputs, problems);
    if (!problems.isEmpty()) {
      throw new InvalidTaskException(problems);
    }
    return new TaskCommand(parsed, lists.keySet());
  }

  /**
   * The ffmpeg arguments with each placeholder replaced by its local path, and the server's own
   * options added: every input may only be a local file of an allowed format with frames of at most
   * the allowed size, and no output carries metadata, chapters or attachments of its inputs. The
   * worker adds, per input, the demuxer it probed ({@code -f}).
   */
  public List<String> render(
      Map<String, String> inputPaths, Map<String, String> outputPaths, MediaPolicy media) {
    List<String> argv = new ArrayList<>(args.size() + 16);
    String whitelist = MediaPolicy.whitelist(MediaPolicy.TASK_INPUT_FORMATS);
    int inputCount = 0;
    boolean mapped = false;
    for (int i = 0; i < args.size(); i++) {
      Arg arg = args.get(i);
      boolean dashI = arg.kind() == Kind.LITERAL && arg.value().equals("-i");
      if (dashI && i + 1 < args.size() && args.get(i + 1).kind() == Kind.INPUT) {
        boolean list = concatLists.contains(args.get(i + 1).value());
        argv.addAll(
            List.of(
                "-protocol_whitelist",
                "file",
                "-format_whitelist",
                list ? whitelist + ",concat" : whitelist,
                "-max_pixels",
                Long.toString(media.maxPixels())));
        inputCount++;
      }
      mapped |= arg.kind() == Kind.LITERAL && arg.value().equals("-map");
      switch (arg.kind()) {
        case LITERAL -> argv.add(arg.value());
        case INPUT -> argv.add(inputPaths.get(arg.value()));
        case OUTPUT -> {
          // Without a -map ffmpeg never picks attachments; with one, "-map 0" would copy them.
          for (int input = 0; mapped && input < inputCount; input++) {
            argv.addAll(List.of("-map", "-" + input + ":t?"));
          }
          argv.addAll(List.of("-map_metadata", "-1", "-map_chapters", "-1"));
          argv.add(outputPaths.get(arg.value()));
          mapped = false;
        }
      }
    }
    return argv;
  }

  /**
   * Where the worker stores an input: under {@code in/}, keeping a plain extension of the URL's
   * path so formats that ffmpeg recognises by name (subtitles, images) still open.
   */
  public static String inputPath(String name, String url) {
    String path;
    try {
      path = new URI(url).getPath();
    } catch (URISyntaxException e) {
      path = null;
    }
    Matcher ext = URL_EXTENSION.matcher(path == null ? "" : path);
    return "in/" + name + (ext.find() ? "." + ext.group(1).toLowerCase(Locale.ROOT) : "");
  }

  /** Where the worker writes a concat list: next to the inputs it names. */
  public static String concatListPath(String name) {
    return "in/" + name + ".ffconcat";
  }

  /** Where ffmpeg writes an output file: under {@code out/}. */
  public static String outputPath(String fileName) {
    return "out/" + fileName;
  }

  private static List<Arg> parseCommand(
      String command,
      Map<String, String> inputs,
      Map<String, List<String>> lists,
      Map<String, String> outputs,
      List<String> problems) {
    if (command == null || command.isBlank()) {
      problems.add("ffmpeg_command must not be empty");
      return List.of();
    }
    if (command.length() > MAX_COMMAND_LENGTH) {
      problems.add("ffmpeg_command is longer than " + MAX_COMMAND_LENGTH + " characters");
      return List.of();
    }
    List<String> tokens;
    try {
      tokens = CommandTokenizer.tokenize(command);
    } catch (IllegalArgumentException e) {
      problems.add("ffmpeg_command: " + e.getMessage());
      return List.of();
    }
    if (!tokens.isEmpty() && tokens.get(0).equals("ffmpeg")) {
      problems.add("ffmpeg_command must not start with 'ffmpeg'; give only its arguments");
    }
    List<Arg> parsed = new ArrayList<>(tokens.size());
    Map<String, Integer> outputUses = new HashMap<>();
    Set<String> inputsUsed = new HashSet<>();
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      boolean afterDashI = i > 0 && tokens.get(i - 1).equals("-i");
      Arg arg = classify(token, inputs, lists, outputs, problems);
      switch (arg.kind()) {
        case INPUT -> {
          inputsUsed.add(arg.value());
          inputsUsed.addAll(lists.getOrDefault(arg.value(), List.of()));
          if (!afterDashI) {
            problems.add("input '" + arg.value() + "' may only appear right after -i");
          }
        }
        case OUTPUT -> {
          outputUses.merge(arg.value(), 1, Integer::sum);
          if (afterDashI) {
            problems.add("output '" + arg.value() + "' cannot be read with -i");
          }
        }
        case LITERAL -> {
          if (afterDashI) {
            problems.add(
                "-i must be followed by a declared input placeholder, not '"
                    + abbreviate(arg.value())
                    + "'");
          }
        }
      }
      parsed.add(arg);
    }
    if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).equals("-i")) {
      problems.add("-i at the end of ffmpeg_command has no input");
    }
    CommandPolicy.check(parsed, lists.keySet(), problems);
    for (String name : inputs.keySet()) {
      if (!inputsUsed.contains(name)) {
        problems.add("input '" + name + "' is declared but not used in ffmpeg_command");
      }
    }
    for (String name : lists.keySet()) {
      if (!inputsUsed.contains(name)) {
        problems.add("concat list '" + name + "' is declared but not used in ffmpeg_command");
      }
    }
    outputs
        .keySet()
        .forEach(
            name -> {
              int uses = outputUses.getOrDefault(name, 0);
              if (uses != 1) {
                problems.add(
                    "output '"
                        + name
                        + "' must appear exactly once in ffmpeg_command (found "
                        + uses
                        + ")");
              }
            });
    return parsed;
  }

  private static Arg classify(
      String token,
      Map<String, String> inputs,
      Map<String, List<String>> lists,
      Map<String, String> outputs,
      List<String> problems) {
    Matcher braced = BRACED.matcher(token);
    String name;
    if (braced.matches()) {
      name = braced.group(1);
      if (!inputs.containsKey(name) && !lists.containsKey(name) && !outputs.containsKey(name)) {
        problems.add("unknown placeholder '{{" + abbreviate(name) + "}}'");
        return new Arg(Kind.LITERAL, token);
      }
    } else if (token.contains("{{") || token.contains("}}")) {
      problems.add(
          "placeholders must be whole arguments: '" + abbreviate(token) + "' is not allowed");
      return new Arg(Kind.LITERAL, token);
    } else {
      name = token;
    }
    if (inputs.containsKey(name) || lists.containsKey(name)) {
      return new Arg(Kind.INPUT, name);
    }
    if (outputs.containsKey(name)) {
      return new Arg(Kind.OUTPUT, name);
    }
    return new Arg(Kind.LITERAL, token);
  }

  /** Text fit for an error message: control characters replaced, at most 40 characters. */
  static String abbreviate(String text) {
    String printable = text.replaceAll("\\p{Cntrl}", "?");
    return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
  }
}
