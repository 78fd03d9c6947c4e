package io.ffmpegoperator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskCommandTest {
  private static final String BUCKET = "media";

  private static TaskCommand.Request spec(
      String command, Map<String, String> inputs, Map<String, String> outputs) {
    return new TaskCommand.Request(command, inputs, outputs);
  }

  private static List<String> render(TaskCommand.Request spec) throws InvalidTaskException {
    TaskCommand command = TaskCommand.parse(spec, BUCKET);
    Map<String, String> in = new LinkedHashMap<>();
    spec.inputs().forEach((k, v) -> in.put(k, TaskCommand.inputPath(k, v)));
    Map<String, String> out = new LinkedHashMap<>();
    spec.outputs().forEach((k, v) -> out.put(k, TaskCommand.outputPath(v)));
    return withoutServerOptions(command.render(in, out, MediaPolicy.defaults()));
  }

  /** Arguments as written on a command line (none of them holds a space). */
  private static List<String> argv(String commandLine) {
    return List.of(commandLine.split(" "));
  }

  /** The rendered command as the user wrote it: the server's own options taken out again. */
  private static List<String> withoutServerOptions(List<String> argv) {
    List<String> user = new ArrayList<>();
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      boolean attachmentMap = arg.equals("-map") && argv.get(i + 1).endsWith(":t?");
      if (List.of("-protocol_whitelist", "-format_whitelist", "-max_pixels").contains(arg)
          || List.of("-map_metadata", "-map_chapters").contains(arg)
          || attachmentMap) {
        i++;
      } else {
        user.add(arg);
      }
    }
    return user;
  }

  @Test
  void serverOptionsGuardEveryInputAndOutput() throws Exception {
    var spec =
        spec(
            "-i in_1 -map 0 -c copy out_1",
            Map.of("in_1", "https://example.com/video.mp4"),
            Map.of("out_1", "output.mkv"));
    TaskCommand command = TaskCommand.parse(spec, BUCKET);
    List<String> argv =
        command.render(
            Map.of("in_1", "in/in_1.mp4"),
            Map.of("out_1", "out/output.mkv"),
            new MediaPolicy(4, 100, 1000, 10));
    assertThat(argv)
        .containsExactlyElementsOf(
            argv(
                "-protocol_whitelist file -format_whitelist "
                    + MediaPolicy.whitelist(MediaPolicy.TASK_INPUT_FORMATS)
                    + " -max_pixels 1000 -i in/in_1.mp4 -map 0 -c copy -map -0:t?"
                    + " -map_metadata -1 -map_chapters -1 out/output.mkv"));
  }

  /** Each case: what it shows, a task as a user wrote it, and the argv it renders to. */
  static Stream<Arguments> renderings() {
    Map<String, String> twoInputs = new LinkedHashMap<>();
    twoInputs.put("in_1", "http://h/a");
    twoInputs.put("in_10", "http://h/b");
    return Stream.of(
        arguments(
            "the seed's example",
            spec(
                "-i in_1 -c:v libx264 -crf 23 out_1",
                Map.of("in_1", "https://example.com/video.mp4"),
                Map.of("out_1", "output.mp4")),
            argv("-i in/in_1.mp4 -c:v libx264 -crf 23 out/output.mp4")),
        arguments(
            "braced placeholders",
            spec(
                "-i {{in_1}} -vf scale=160:120 \"{{ out_1 }}\"",
                Map.of("in_1", "s3://media/samples/a.mov"),
                Map.of("out_1", "small.mkv")),
            argv("-i in/in_1.mov -vf scale=160:120 out/small.mkv")),
        arguments(
            "a placeholder matches whole arguments only",
            spec(
                "-i in_10 -i in_1 -metadata title=in_1 -map 0 -map 1 out_1",
                twoInputs,
                Map.of("out_1", "o.mkv")),
            argv("-i in/in_10 -i in/in_1 -metadata title=in_1 -map 0 -map 1 out/o.mkv")),
        arguments(
            "quotes keep spaces and no shell meaning",
            spec(
                "-i in_1 -metadata 'title=a b; rm -rf /' -metadata \"comment=$(id)\" out_1",
                Map.of("in_1", "http://h/a.mp4"),
                Map.of("out_1", "o.mp4")),
            List.of(
                "-i",
                "in/in_1.mp4",
                "-metadata",
                "title=a b; rm -rf /",
                "-metadata",
                "comment=$(id)",
                "out/o.mp4")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void rendersToLocalPaths(String shows, TaskCommand.Request spec, List<String> argv)
      throws Exception {
    assertThat(render(spec)).containsExactlyElementsOf(argv);
  }

  @Test
  void everyProblemIsReported() {
    var spec =
        spec(
            "-i in_1 -i /etc/passwd x{{in_1}} {{nope}} out_1 out_1",
            Map.of("in_1", "ftp://h/a", "in_2", "http://h/b"),
            Map.of("out_1", "../escape.mp4"));
    assertThatThrownBy(() -> TaskCommand.parse(spec, BUCKET))
        .isInstanceOfSatisfying(
            InvalidTaskException.class,
            e ->
                assertThat(e.problems())
                    .anyMatch(p -> p.contains("input 'in_1'") && p.contains("http, https"))
                    .anyMatch(p -> p.contains("-i must be followed") && p.contains("/etc/passwd"))
                    .anyMatch(p -> p.contains("whole arguments"))
                    .anyMatch(p -> p.contains("unknown placeholder '{{nope}}'"))
                    .anyMatch(p -> p.contains("'in_2' is declared but not used"))
                    .anyMatch(p -> p.contains("output 'out_1': file name")));
  }

  @Test
  void outputMustAppearExactlyOnce() {
    var twice = spec("-i in_1 out_1 out_1", Map.of("in_1", "http://h/a"), Map.of("out_1", "o.mp4"));
    var never = spec("-i in_1 -f null -", Map.of("in_1", "http://h/a"), Map.of("out_1", "o.mp4"));
    assertThatThrownBy(() -> TaskCommand.parse(twice, BUCKET)).hasMessageContaining("found 2");
    assertThatThrownBy(() -> TaskCommand.parse(never, BUCKET)).hasMessageContaining("found 0");
  }

  @Test
  void s3InputsOnlyFromThePlatformBucket() {
    var other =
        spec("-i in_1 out_1", Map.of("in_1", "s3://someone-else/a.mp4"), Map.of("out_1", "o.mp4"));
    assertThatThrownBy(() -> TaskCommand.parse(other, BUCKET))
        .hasMessageContaining("bucket 'media'");
  }

  @Test
  void inputUrlsWithUserInfoAreRefusedForEveryScheme() {
    for (String url :
        List.of(
            "http://user:pass@h/a.mp4",
            "https://token@h/a.mp4",
            "http://:@h/a.mp4",
            "s3://key:secret@media/a.mp4")) {
      var spec = spec("-i in_1 out_1", Map.of("in_1", url), Map.of("out_1", "o.mp4"));
      assertThatThrownBy(() -> TaskCommand.parse(spec, BUCKET))
          .as(url)
          .hasMessageContaining("input 'in_1': URLs with user info are not accepted");
    }
    var plain = spec("-i in_1 out_1", Map.of("in_1", "http://h/a@b.mp4"), Map.of("out_1", "o.mp4"));
    assertThatCode(() -> TaskCommand.parse(plain, BUCKET)).doesNotThrowAnyException();
  }

  @Test
  void emptyCommandAndUnbalancedQuotesAreRefused() {
    assertThatThrownBy(() -> TaskCommand.parse(spec(" ", Map.of(), Map.of("o", "o.mp4")), BUCKET))
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(
            () ->
                TaskCommand.parse(
                    spec(
                        "-i in_1 'oops out_1",
                        Map.of("in_1", "http://h/a"),
                        Map.of("out_1", "o.mp4")),
                    BUCKET))
        .hasMessageContaining("unterminated single quote");
  }

  @Test
  void leadingFfmpegIsRefusedWithAHint() {
    var spec = spec("ffmpeg -i in_1 out_1", Map.of("in_1", "http://h/a"), Map.of("out_1", "o.mp4"));
    assertThatThrownBy(() -> TaskCommand.parse(spec, BUCKET))
        .hasMessageContaining("must not start with 'ffmpeg'");
  }

  @Test
  void tokenizerFollowsShellQuotingWithoutExpansion() {
    assertThat(CommandTokenizer.tokenize("a  'b c' \"d \\\" e\" f\\ g ''"))
        .containsExactly("a", "b c", "d \" e", "f g", "");
  }

  @Test
  void concatListsAreInputsMadeOfInputs() throws Exception {
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("in_1", "s3://media/a.mp4");
    inputs.put("in_2", "s3://media/b.mp4");
    var spec = spec("-f concat -i {{parts}} -c copy out_1", inputs, Map.of("out_1", "joined.mp4"));
    spec = spec.withConcatLists(Map.of("parts", List.of("in_1", "in_2", "in_1")));
    TaskCommand command = TaskCommand.parse(spec, BUCKET);
    List<String> argv =
        command.render(
            Map.of("parts", TaskCommand.concatListPath("parts")),
            Map.of("out_1", "out/joined.mp4"),
            MediaPolicy.defaults());
    assertThat(withoutServerOptions(argv))
        .containsExactlyElementsOf(argv("-f concat -i in/parts.ffconcat -c copy out/joined.mp4"));
    assertThat(argv.get(argv.indexOf("-format_whitelist") + 1)).endsWith(",concat");
  }

  @Test
  void concatListsNameOnlyDeclaredInputsAndMustBeUsed() {
    var spec =
        spec("-i in_1 -c copy out_1", Map.of("in_1", "http://h/a"), Map.of("out_1", "o.mp4"))
            .withConcatLists(Map.of("parts", List.of("in_1", "nope")));
    assertThatThrownBy(() -> TaskCommand.parse(spec, BUCKET))
        .hasMessageContaining("names 'nope', which is not an input")
        .hasMessageContaining("concat list 'parts' is declared but not used");
  }
}
