package io.ffmpegoperator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SplitCommandTest {
  private static TaskCommand.Request request(String command) {
    return new TaskCommand.Request(
        command, Map.of("in_1", "s3://media/in.mp4"), Map.of("out_1", "out.mp4"));
  }

  private static SplitCommand split(String command) throws InvalidTaskException {
    return SplitCommand.parse(request(command));
  }

  @Test
  void aTranscodeIsSplitIntoVideoAudioAndMuxOptions() throws Exception {
    SplitCommand command =
        split(
            "-y -i in_1 -vf scale=320:240 -c:v libx264 -preset veryfast -crf 23 -c:a aac"
                + " -b:a 96k -movflags +faststart out_1");

    assertThat(command.inputName()).isEqualTo("in_1");
    assertThat(command.outputName()).isEqualTo("out_1");
    assertThat(command.videoArgs())
        .containsExactly(
            "-vf", "scale=320:240", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23");
    assertThat(command.audio()).isTrue();
    assertThat(command.audioArgs()).containsExactly("-c:a", "aac", "-b:a", "96k");
    assertThat(command.muxArgs()).containsExactly("-movflags", "+faststart");
  }

  @Test
  void placeholdersInBracesAreNamedWithoutThem() throws Exception {
    SplitCommand command = split("-i {{in_1}} -c:v libx264 -an {{out_1}}");

    assertThat(command.inputName()).isEqualTo("in_1");
    assertThat(command.outputName()).isEqualTo("out_1");
  }

  @Test
  void everyKindOfOptionFindsItsRun() throws Exception {
    SplitCommand command =
        split(
            "-threads 2 -i in_1 -map 0:v:0 -map 0:a:0? -vcodec libx265"
                + " -b:v 2M -maxrate:v 3M -bufsize:v 4M -pix_fmt yuv420p -profile:v main"
                + " -g 48 -bf 3 -s 640x360 -tag:v hvc1 -threads 4 -acodec aac -ar 48000 -ac 2"
                + " -profile:a aac_low -af volume=0.5 -f mp4 -metadata title=Film"
                + " -metadata:s:a:0 language=eng -hide_banner out_1");

    assertThat(command.videoArgs())
        .containsExactly(
            "-vcodec",
            "libx265",
            "-b:v",
            "2M",
            "-maxrate:v",
            "3M",
            "-bufsize:v",
            "4M",
            "-pix_fmt",
            "yuv420p",
            "-profile:v",
            "main",
            "-g",
            "48",
            "-bf",
            "3",
            "-s",
            "640x360",
            "-threads",
            "4");
    assertThat(command.audioArgs())
        .containsExactly(
            "-threads",
            "4",
            "-acodec",
            "aac",
            "-ar",
            "48000",
            "-ac",
            "2",
            "-profile:a",
            "aac_low",
            "-af",
            "volume=0.5");
    assertThat(command.muxArgs())
        .containsExactly(
            "-tag:v",
            "hvc1",
            "-f",
            "mp4",
            "-metadata",
            "title=Film",
            "-metadata:s:a:0",
            "language=eng");
  }

  @Test
  void anDropsTheAudioRun() throws Exception {
    SplitCommand command = split("-i in_1 -c:v libx264 -crf 30 -an out_1");

    assertThat(command.audio()).isFalse();
    assertThat(command.audioArgs()).isEmpty();
    assertThat(command.videoArgs()).containsExactly("-c:v", "libx264", "-crf", "30");
  }

  @Test
  void mappingOnlyVideoDropsTheAudioRun() throws Exception {
    SplitCommand command = split("-i in_1 -map 0:v -c:v libx264 -c:a aac out_1");

    assertThat(command.audio()).isFalse();
    assertThat(command.audioArgs()).isEmpty();
  }

  @Test
  void mapZeroKeepsVideoAndAudio() throws Exception {
    SplitCommand command = split("-i in_1 -map 0 -c:v libx264 -c:a copy out_1");

    assertThat(command.audio()).isTrue();
    assertThat(command.audioArgs()).containsExactly("-c:a", "copy");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-i in_1 -c:v libx264 -an out_1",
        "-i in_1 -c:v libvpx-vp9 -b:v 1M -deadline good -cpu-used 4 -row-mt 1 -c:a libopus out_1",
        "-i in_1 -c:v libaom-av1 -crf 30 -c:a aac out_1",
        "-i in_1 -c:v mpeg4 -q:v 3 -c:a aac -q:a 2 out_1",
        "-i in_1 -vf crop=iw/2:ih/2,hflip,vflip,transpose=1,format=yuv420p -c:v libx264 -an out_1",
        "-i in_1 -vf scale=w=1280:h=-2:flags=lanczos,setsar=1 -c:v libx264 -an out_1",
        "-i in_1 -vf pad=1920:1080:(ow-iw)/2:(oh-ih)/2,eq=contrast=1.1:brightness=0.05"
            + " -c:v libx264 -an out_1",
        "-i in_1 -vf drawbox=x=10:y=10:w=100:h=50:color=red:t=fill -c:v libx264 -an out_1",
        "-i in_1 -filter:v hue=s=0 -c:v libx264 -c:a aac -filter:a volume=2 out_1",
        "-i in_1 -c:v libx264 -c:a aac -af atempo=1.0,aresample=48000 out_1",
        "-re -i in_1 -c:v libx264 -an -sn -dn -shortest -avoid_negative_ts make_zero out_1",
        "-i in_1 -c:v libx264 -an -bsf:v h264_mp4toannexb out_1",
      })
  void commandsThatWorkFrameByFrameAreSplit(String command) throws Exception {
    assertThat(split(command).videoArgs()).isNotEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "-i in_1 -c:v libx264 -pass 1 -an out_1 | two-pass encoding (-pass)",
        "-i in_1 -c:v libx264 -passlogfile x -an out_1 | two-pass encoding (-pass)",
        "-i in_1 -filter_complex [0:v]scale=320:240[v] -map [v] -c:v libx264 out_1"
            + " | -filter_complex cannot be split",
        "-ss 5 -i in_1 -c:v libx264 -an out_1 | timing options (-ss)",
        "-i in_1 -t 5 -c:v libx264 -an out_1 | timing options (-t)",
        "-i in_1 -to 5 -c:v libx264 -an out_1 | timing options (-to)",
        "-itsoffset 1 -i in_1 -c:v libx264 -an out_1 | timing options (-itsoffset)",
        "-i in_1 -r 30 -c:v libx264 -an out_1 | timing options (-r)",
        "-i in_1 -fps_mode cfr -c:v libx264 -an out_1 | timing options (-fps_mode)",
        "-i in_1 -vsync 1 -c:v libx264 -an out_1 | timing options (-vsync)",
        "-i in_1 -frames:v 100 -c:v libx264 -an out_1 | timing options (-frames)",
        "-i in_1 -copyts -c:v libx264 -an out_1 | timing options (-copyts)",
        "-stream_loop 2 -i in_1 -c:v libx264 -an out_1 | -stream_loop",
        "-i in_1 -force_key_frames expr:gte(t\\,n_forced*2) -c:v libx264 -an out_1"
            + " | -force_key_frames counts time",
        "-i in_1 -vf fps=10 -c:v libx264 -an out_1 | the filter 'fps' looks across frames",
        "-i in_1 -vf framerate=60 -c:v libx264 -an out_1 | the filter 'framerate'",
        "-i in_1 -vf setpts=0.5*PTS -c:v libx264 -an out_1 | the filter 'setpts'",
        "-i in_1 -vf yadif -c:v libx264 -an out_1 | the filter 'yadif'",
        "-i in_1 -vf bwdif -c:v libx264 -an out_1 | the filter 'bwdif'",
        "-i in_1 -vf hqdn3d -c:v libx264 -an out_1 | the filter 'hqdn3d'",
        "-i in_1 -vf select=gt(scene\\\\,0.4) -c:v libx264 -an out_1 | the filter 'select'",
        "-i in_1 -vf trim=start_frame=10 -c:v libx264 -an out_1 | the filter 'trim'",
        "-i in_1 -vf reverse -c:v libx264 -an out_1 | the filter 'reverse'",
        "-i in_1 -vf fade=in:0:25 -c:v libx264 -an out_1 | the filter 'fade'",
        "-i in_1 -vf scale=320:240,tpad=stop=10 -c:v libx264 -an out_1 | the filter 'tpad'",
        "-i in_1 -vf drawtext=text=hi -c:v libx264 -an out_1 | the filter 'drawtext'",
        "-i in_1 -vf rotate=a=t -c:v libx264 -an out_1 | uses 't'",
        "-i in_1 -vf crop=w=100:h=100:x=n -c:v libx264 -an out_1 | uses 'n'",
        "-i in_1 -vf hue=H=2*PI*t -c:v libx264 -an out_1 | uses 't'",
        "-i in_1 -vf scale=320:240 -c:v copy -an out_1 | stream copy of video (-c:v copy)",
        "-i in_1 -vcodec copy -an out_1 | stream copy of video",
        "-i in_1 -c:v h264_nvenc -an out_1 | the hardware encoder 'h264_nvenc'",
        "-i in_1 -c:v h264_vaapi -an out_1 | the hardware encoder 'h264_vaapi'",
        "-i in_1 -c:v gif -an out_1 | the video encoder 'gif' cannot be split",
        "-i in_1 -c:v prores_ks -an out_1 | the video encoder 'prores_ks' cannot be split",
        "-i in_1 -an out_1 | must name its video encoder",
        "-i in_1 -c:v libx264 out_1 | must name its audio encoder",
        "-i in_1 -c libx264 -an out_1 | would apply to video and audio alike",
        "-i in_1 -c:v libx264 -b 1M -an out_1 | would apply to video and audio alike",
        "-i in_1 -c:v libx264 -c:v:1 libx264 -an out_1 | names a stream a parallel task",
        "-i in_1 -map 0:s -c:v libx264 -an out_1 | -map 0:s: a parallel task keeps only",
        "-i in_1 -map 0:a -c:v libx264 -c:a aac out_1 | maps no video stream",
        "-i in_1 -vn -c:a aac out_1 | -vn leaves no video",
        "-noautorotate -i in_1 -c:v libx264 -an out_1 | the input option '-noautorotate'",
        "-i in_1 -c:v libx264 -an -scodec mov_text out_1 | -scodec has nothing to encode",
      })
  void whatCannotBeSplitIsRefusedWithTheReason(String command, String reason) {
    assertThatThrownBy(() -> split(command))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining(reason.strip());
  }

  @Test
  void twoInputsOrTwoOutputsAreRefused() {
    TaskCommand.Request twoInputs =
        new TaskCommand.Request(
            "-i in_1 -i in_2 -c:v libx264 -an out_1",
            Map.of("in_1", "s3://media/a.mp4", "in_2", "s3://media/b.mp4"),
            Map.of("out_1", "out.mp4"));
    TaskCommand.Request twoOutputs =
        new TaskCommand.Request(
            "-i in_1 -c:v libx264 -an out_1 -c:v libx264 -an out_2",
            Map.of("in_1", "s3://media/a.mp4"),
            Map.of("out_1", "a.mp4", "out_2", "b.mp4"));

    assertThatThrownBy(() -> SplitCommand.parse(twoInputs))
        .hasMessageContaining("exactly one input, got 2");
    assertThatThrownBy(() -> SplitCommand.parse(twoOutputs))
        .hasMessageContaining("exactly one output, got 2");
  }

  @Test
  void aConcatListIsRefused() {
    TaskCommand.Request request =
        new TaskCommand.Request(
                "-f concat -i parts -c:v libx264 -an out_1",
                Map.of("in_1", "s3://media/a.mp4"),
                Map.of("out_1", "out.mp4"))
            .withConcatLists(Map.of("parts", List.of("in_1", "in_1")));

    assertThatThrownBy(() -> SplitCommand.parse(request)).hasMessageContaining("concat list");
  }

  @Test
  void theOrdinaryPolicyComesFirst() {
    assertThatThrownBy(() -> split("-i in_1 -c:v libx264 -an -vstats_file x out_1"))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("the option '-vstats_file' is not allowed");
    assertThatThrownBy(() -> split("-i in_1 -vf movie=x.mp4 -c:v libx264 -an out_1"))
        .hasMessageContaining("the filter 'movie' is not allowed");
  }

  @Test
  void everyReasonIsGivenAtOnce() {
    assertThatThrownBy(() -> split("-i in_1 -vf fps=10 -r 30 -c:v copy out_1"))
        .isInstanceOfSatisfying(
            InvalidTaskException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(4)
                    .anySatisfy(p -> assertThat(p).contains("'fps'"))
                    .anySatisfy(p -> assertThat(p).contains("(-r)"))
                    .anySatisfy(p -> assertThat(p).contains("-c:v copy"))
                    .anySatisfy(p -> assertThat(p).contains("audio encoder")));
  }
}
