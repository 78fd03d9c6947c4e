package io.ffmpegoperator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandPolicyTest {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\b(in|out)_\\d+\\b");

  /** A spec declaring in_1 and out_1, and every other in_N and out_N the command names. */
  private static TaskCommand.Request spec(String command) {
    Map<String, String> inputs = new LinkedHashMap<>();
    Map<String, String> outputs = new LinkedHashMap<>();
    inputs.put("in_1", "https://example.com/a.mp4");
    outputs.put("out_1", "out.mp4");
    Matcher placeholder = PLACEHOLDER.matcher(command);
    while (placeholder.find()) {
      String name = placeholder.group();
      if (name.startsWith("in_")) {
        inputs.putIfAbsent(name, "https://example.com/" + name + ".m4a");
      } else {
        outputs.putIfAbsent(name, name + ".mp4");
      }
    }
    TaskCommand.Request spec = new TaskCommand.Request(command, inputs, outputs);
    if (command.contains("parts")) {
      spec = spec.withConcatLists(Map.of("parts", List.of("in_1", "in_1")));
    }
    return spec;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-i in_1 -c:v libx264 -crf 23 out_1",
        "-y -hide_banner -loglevel error -i in_1 -vf scale=320:240 out_1",
        "-ss 1.5 -i in_1 -t 00:00:02.000 -map 0:v:0 -map 0:a:0? -c copy out_1",
        "-i in_1 -filter_complex [0:v]scale=320:-2,fps=10[v] -map [v] -an out_1",
        "-i in_1 -vf \"drawtext=text='hello world':x=10:y=10:fontsize=24\" out_1",
        "-i in_1 -vf fps=1,scale=160:-1 -frames:v 1 -f mp4 out_1",
        "-f concat -i parts -map 0 -c copy out_1",
        "-filter_complex color=c=black:s=320x240:d=2 -i in_1 -shortest out_1",
        "-i in_1 -metadata title=Holiday -metadata:s:a:0 language=eng out_1",
        "-i in_1 -c:v libx264 -preset veryfast -tune film -b:v 800k -maxrate 1M -bufsize 2M"
            + " -g 48 -pix_fmt yuv420p -c:a aac -b:a 128k -ac 2 -ar 44100"
            + " -movflags +faststart out_1",
        "-stream_loop 2 -i in_1 -af volume=0.5,atempo=1.25 -r 30000/1001 -s 640x360 out_1",
        "-i in_1 -vf \"select='eq(pict_type\\,I)'\" -fps_mode vfr out_1",
      })
  void commandsOfTheSeedsAndOfEverydayUseAreAllowed(String command) {
    assertThatCode(() -> TaskCommand.parse(spec(command), "media")).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Reading a file or URL of the pod into an output.
        "-f data -i in_1 out_1 | -f' is set by the server for inputs",
        "-f lavfi -i in_1 out_1 | is set by the server for inputs",
        "-i in_1 -vf movie=/etc/passwd out_1 | filter 'movie' is not allowed",
        "-i in_1 -af amovie=http://169.254.169.254/ out_1 | filter 'amovie' is not allowed",
        "-i in_1 -vf drawtext=textfile=/etc/passwd out_1 | may not set 'textfile'",
        "-i in_1 -vf drawtext=fontfile=/etc/passwd:text=x out_1 | may not set 'fontfile'",
        "-i in_1 -vf subtitles=/etc/passwd out_1 | filter 'subtitles' is not allowed",
        "-i in_1 -vf lut3d=file=/etc/passwd out_1 | filter 'lut3d' is not allowed",
        "-i in_1 -filter_complex_script /tmp/graph out_1 | '-filter_complex_script' is not allowed",
        "-i in_1 -/vf /tmp/graph out_1 | '-/vf' is not allowed",
        "-i in_1 -vf scale=1:1\\,movie=/etc/passwd out_1 | filter 'movie' is not allowed",
        "-i in_1 -vf 'scale=1:1\\,movie=/etc/passwd' out_1 | may not set",
        "-i in_1 -vf \"scale=2:2;movie=x\" out_1 | filter 'movie' is not allowed",
        // Writing outside the work folder.
        "-i in_1 -vstats_file /tmp/x out_1 | '-vstats_file' is not allowed",
        "-i in_1 -pass 1 -passlogfile /tmp/x out_1 | '-pass' is not allowed",
        "-i in_1 -f tee out_1 | output format that is not allowed",
        "-i in_1 -f hls out_1 | output format that is not allowed",
        "-i in_1 out_1 /tmp/extra.mp4 | files may only be named by input and output placeholders",
        "-i in_1 -c copy - out_1 | '-' is not allowed here",
        "-i in_1 -vf paletteuse=debug_kdtree=/tmp/k out_1 | may not set 'debug_kdtree'",
        "-i in_1 -c:v libx264 -x264-params stats=/tmp/x out_1 | '-x264-params' is not allowed",
        "-i in_1 -vf metadata=mode=print:file=/tmp/x out_1 | filter 'metadata' is not allowed",
        // Opening URLs even under a protocol whitelist.
        "-i in_1 -progress http://evil.example/ out_1 | '-progress' is not allowed",
        "-i in_1 -vf sendcmd=f=/tmp/cmds out_1 | filter 'sendcmd' is not allowed",
        "-i in_1 -vf zmq out_1 | filter 'zmq' is not allowed",
        "-i in_1 -af lv2=p=http://x/plugin out_1 | filter 'lv2' is not allowed",
        // Overriding what the server adds.
        "-protocol_whitelist http,file -i in_1 out_1 | '-protocol_whitelist' is not allowed",
        "-i in_1 -map_metadata 0 out_1 | '-map_metadata' is not allowed",
        "-max_pixels 999999999 -i in_1 out_1 | '-max_pixels' is not allowed",
        "-i in_1 -fs 99999999999 out_1 | '-fs' is not allowed",
        "-i in_1 -attach /etc/passwd out_1 | '-attach' is not allowed",
        "-dump_attachment:t /tmp/x -i in_1 out_1 | '-dump_attachment:t' is not allowed",
        "-stdin -i in_1 out_1 | '-stdin' is not allowed",
        "-loglevel debug -i in_1 out_1 | may only be quiet",
        // Never ending.
        "-filter_complex testsrc -i in_1 out_1 | needs a duration",
        "-filter_complex anullsrc -i in_1 -shortest out_1 | needs a duration",
        "-i in_1 -af apad out_1 | 'apad' needs pad_dur",
        "-i in_1 -vf loop=-1:1 out_1 | filter 'loop' is not allowed",
        "-stream_loop 101 -i in_1 out_1 | must be between 0 and 100, or -1 to loop forever",
        "-stream_loop -2 -i in_1 out_1 | must be between 0 and 100, or -1 to loop forever",
        "-stream_loop 1.5 -i in_1 out_1 | needs a whole number of loops",
        // Grammar.
        "-i in_1 out_1 -c copy | options after the last output have no effect",
        "-crf 20 -i in_1 out_1 | '-crf' may only be used before an output",
        "-i in_1 -ss abc out_1 | needs a time",
        "-i in_1 -map /etc/passwd out_1 | needs a stream",
        "-i in_1 -vf out_1 | '-vf' needs a value",
        "-i in_1 -vf 'scale=2:2,,' out_1 | is not a filter",
        "-i in_1 -vf \"scale='1:2\" out_1 | unclosed quote",
        "-threads 1000 -i in_1 out_1 | between 0 and 64",
      })
  void dangerousOrMalformedCommandsAreRefusedWithAReason(String row) {
    String command = row.substring(0, row.lastIndexOf(" | "));
    String reason = row.substring(row.lastIndexOf(" | ") + 3);
    assertThatThrownBy(() -> TaskCommand.parse(spec(command), "media"))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // POST /ffmpeg/merge-audio-video: the video looped, the audio ending the output.
        "-stream_loop -1 -i in_1 -i in_2 -map 0:v:0 -map 1:a:0 -c:v libx264 -preset veryfast"
            + " -tune zerolatency -pix_fmt yuv420p -c:a aac -shortest -fflags +shortest out_1",
        "-stream_loop -1 -i in_1 -i in_2 -i in_3 -i in_4"
            + " -filter_complex [1:a:0][2:a:0][3:a:0]concat=n=3:v=0:a=1[a] -map 0:v:0 -map [a]"
            + " -c:v libx264 -c:a aac -shortest out_1",
        // Ended by time or frame count, whatever feeds the output.
        "-stream_loop -1 -i in_1 -t 30 out_1",
        "-stream_loop -1 -i in_1 -to 00:00:30 out_1",
        "-stream_loop -1 -t 30 -i in_1 out_1",
        "-stream_loop -1 -to 30 -i in_1 -i in_2 -map 0:v -map 1:a out_1",
        "-stream_loop -1 -i in_1 -frames 250 out_1",
        "-stream_loop -1 -i in_1 -filter_complex [0:v]scale=320:-2[v] -map [v] -t 10 out_1",
        // Ended by -shortest and a stream that ends.
        "-stream_loop -1 -i in_1 -i in_2 -map 0:v -map 1:a -c copy -shortest out_1",
        "-i in_2 -stream_loop -1 -i in_1 -map 1:v:0 -map 0:a:0 -vf scale=320:-2 -shortest out_1",
        "-stream_loop -1 -i in_1 -i in_2 -map 0 -map 1:V -shortest out_1",
        "-stream_loop -1 -i in_1 -i in_2 -i in_3 -filter_complex [1:a][2:a]amix[a]"
            + " -map 0:v -map [a] -shortest out_1",
        "-stream_loop -1 -i in_1 -i in_2 -filter_complex [1:a]anull,volume=0.5[a]"
            + " -map 0:v -map [a] -shortest out_1",
        "-stream_loop -1 -i in_1 -i in_2 -filter_complex"
            + " \"sine=d=3[s];[1:a]asplit[x][y];[x][y]amix=inputs=2[m];[s][m]concat=n=2:v=0:a=1[a]\""
            + " -map 0:v -map [a] -shortest out_1",
        "-stream_loop -1 -i in_1 -i in_2 -map 0:v -map 1:a -shortest out_1 -map 0:v -t 5 out_2",
      })
  void anInputLoopedForeverIsAllowedWhereEveryOutputEnds(String command) {
    assertThatCode(() -> TaskCommand.parse(spec(command), "media")).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-stream_loop -1 -i in_1 out_1 | output 'out_1' would never end: input 'in_1' loops",
        "-stream_loop -1 -i in_1 -shortest out_1 | output 'out_1' would never end",
        // Nothing that surely ends is mapped: ffmpeg would pick the looped streams itself, an
        // optional map may match nothing, a whole input may hold only subtitles, which -shortest
        // passes over, and -frames:v leaves the audio running.
        "-stream_loop -1 -i in_1 -i in_2 -shortest out_1 | output 'out_1' would never end",
        "-stream_loop -1 -i in_1 -i in_2 -map 0:v -map 1:a? -shortest out_1 | would never end",
        "-stream_loop -1 -i in_1 -i in_2 -map 0:v -map 1 -shortest out_1 | would never end",
        "-stream_loop -1 -i in_1 -i in_2 -map 0:v -map 1:s -shortest out_1 | would never end",
        "-stream_loop -1 -i in_1 -i in_2 -map 0:v -map 0:a -shortest out_1 | would never end",
        "-stream_loop -1 -i in_1 -map 0:v -map 0:a -frames:v 10 out_1 | would never end",
        "-i in_2 -stream_loop -1 -i in_1 -map 1:v -map 1:a -shortest out_1 | 'in_1' loops",
        "-stream_loop -1 -i in_1 -i in_2 -map 0:v -map 1:a -shortest out_1 -map 0:v out_2"
            + " | output 'out_2' would never end",
        // A looped stream out of a filter graph: ffmpeg 5.1 never ends these.
        "-stream_loop -1 -i in_1 -i in_2 -filter_complex [0:v]null[v] -map [v] -map 1:a"
            + " -shortest out_1 | may not read [0:v]: that is input 'in_1'",
        "-stream_loop -1 -i in_1 -i in_2 -i in_3"
            + " -filter_complex [0:v:0]null[v];[1:a:0][2:a:0]concat=n=2:v=0:a=1[a]"
            + " -map [v] -map [a] -shortest out_1 | may not read [0:v:0]",
        "-stream_loop -1 -i in_1 -i in_2 -lavfi [v]null[w] -map [w] -map 1:a -shortest out_1"
            + " | may not read [v]: that is input 'in_1'",
        "-i in_2 -stream_loop -1 -i in_1 -filter_complex [0x1:a]anull[a] -map 0:v -map [a]"
            + " -shortest out_1 | may not read [0x1:a]: that is input 'in_1'",
        "-stream_loop -1 -i in_1 -i in_2 -filter_complex [4294967296:a]anull[a] -map 0:v"
            + " -map [a] -shortest out_1 | may not read [4294967296:a]",
        // A filter input without a label takes the first free stream of its type: the loop's.
        "-stream_loop -1 -i in_1 -i in_2 -i in_3 -filter_complex [1:a]amix[a] -map 0:v -map [a]"
            + " -shortest out_1 | every input of a filter must be named",
        "-stream_loop -1 -i in_1 -i in_2 -i in_3 -filter_complex concat=n=2:v=0:a=1[a]"
            + " -map 0:v -map [a] -shortest out_1 | every input of a filter must be named",
        "-stream_loop -1 -i in_1 -i in_2 -filter_complex [1:a]anull,amix[a] -map 0:v -map [a]"
            + " -shortest out_1 | every input of a filter must be named",
        "-stream_loop -1 -i in_1 -i in_2 -filter_complex [1:a][1:a]amix=inputs=1+1[a]"
            + " -map 0:v -map [a] -shortest out_1 | every input of a filter must be named",
      })
  void anInputLoopedForeverIsRefusedWhereAnOutputMightNotEnd(String row) {
    String command = row.substring(0, row.lastIndexOf(" | "));
    String reason = row.substring(row.lastIndexOf(" | ") + 3);
    assertThatThrownBy(() -> TaskCommand.parse(spec(command), "media"))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void graphInputLabelsNameInputsAsFfmpegReadsThem() {
    assertThat(CommandPolicy.inputIndex("0:v")).isZero();
    assertThat(CommandPolicy.inputIndex("1:a:0")).isEqualTo(1);
    assertThat(CommandPolicy.inputIndex("12")).isEqualTo(12);
    assertThat(CommandPolicy.inputIndex("3a")).isEqualTo(3);
    // C's strtol in base 0: no number is 0, 0x is hexadecimal, a leading 0 octal.
    assertThat(CommandPolicy.inputIndex("a")).isZero();
    assertThat(CommandPolicy.inputIndex("v")).isZero();
    assertThat(CommandPolicy.inputIndex("0x1f:a")).isEqualTo(31);
    assertThat(CommandPolicy.inputIndex("0x")).isZero();
    assertThat(CommandPolicy.inputIndex("010")).isEqualTo(8);
    assertThat(CommandPolicy.inputIndex("09:a")).isZero();
    assertThat(CommandPolicy.inputIndex("99999999999")).isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "out.m3u8",
        "out.mpd",
        "out%03d.png",
        "..mp4",
        ".hidden.mp4",
        "a/b.mp4",
        "a\\b.mp4",
        "out\u2215x.mp4",
        "out\u202e4pm.exe",
        "out.mp4\n",
        "out",
        "list.txt",
      })
  void outputNamesArePlainMediaFileNames(String name) {
    TaskCommand.Request spec =
        new TaskCommand.Request(
            "-i in_1 out_1", Map.of("in_1", "https://example.com/a.mp4"), Map.of("out_1", name));
    assertThatThrownBy(() -> TaskCommand.parse(spec, "media"))
        .hasMessageContaining("output 'out_1': file name must be a plain name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"out.mp4", "Clip_2.final.MKV", "thumb.jpg", "audio.m4a", "subs.vtt"})
  void plainMediaFileNamesAreFine(String name) throws Exception {
    TaskCommand.Request spec =
        new TaskCommand.Request(
            "-i in_1 out_1", Map.of("in_1", "https://example.com/a.mp4"), Map.of("out_1", name));
    assertThat(TaskCommand.parse(spec, "media").args()).hasSize(3);
  }
}
