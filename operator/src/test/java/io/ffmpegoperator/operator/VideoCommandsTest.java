package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ffmpegoperator.crds.EncodeInfo;
import io.ffmpegoperator.crds.TrimInfo;
import io.ffmpegoperator.crds.TrimMode;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoJob;
import io.ffmpegoperator.crds.VideoJobSpec;
import io.ffmpegoperator.crds.VideoOperation;
import io.ffmpegoperator.crds.VideoSpec;
import io.ffmpegoperator.media.MediaInfo;
import io.ffmpegoperator.policy.TaskCommand;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoCommandsTest {
  private static Video video(long id, String key, String codec) {
    Video video = new Video();
    VideoSpec spec = new VideoSpec();
    spec.setId(id);
    spec.setFileKey(key);
    MediaInfo media = new MediaInfo();
    media.setVideoCodec(codec);
    media.setAudioCodec("aac");
    spec.setMedia(media);
    video.setSpec(spec);
    return video;
  }

  private static VideoJob job(VideoOperation operation, List<Long> ids) {
    VideoJob job = new VideoJob();
    job.setMetadata(new ObjectMetaBuilder().withCreationTimestamp("2024-09-10T16:18:24Z").build());
    VideoJobSpec spec = new VideoJobSpec();
    spec.setJobId(7L);
    spec.setOperation(operation);
    spec.setVideoIds(ids);
    job.setSpec(spec);
    return job;
  }

  private static TrimInfo trim(long start, long end, TrimMode mode) {
    TrimInfo trim = new TrimInfo();
    trim.setTrimStart(start);
    trim.setTrimEnd(end);
    trim.setMode(mode);
    return trim;
  }

  @Test
  void accurateTrimReencodesLikeTheSourceFromTheExactStart() throws Exception {
    VideoJob job = job(VideoOperation.Trim, List.of(1L));
    job.getSpec().setTrim(trim(250, 5000, TrimMode.Accurate));
    var rendered = VideoCommands.render(job, List.of(video(1, "origin/a.mp4", "hevc")), "b");
    assertThat(rendered.outputFile()).isEqualTo("video_trim_20240910161824_7.mp4");
    assertThat(rendered.spec().getCommand())
        .isEqualTo("-ss 0.250 -i in_1 -t 4.750 -map 0:v:0 -map 0:a:0? -c:v libx265 -c:a aac out_1");
    TaskCommand.parse(WorkerJobFactory.request(rendered.spec()), "b");
  }

  @Test
  void fastTrimCopiesStreams() throws Exception {
    VideoJob job = job(VideoOperation.Trim, List.of(1L));
    job.getSpec().setTrim(trim(0, 5000, TrimMode.Fast));
    var rendered = VideoCommands.render(job, List.of(video(1, "origin/a.mp4", "h264")), "b");
    assertThat(rendered.spec().getCommand()).contains("-c copy").doesNotContain("libx264");
    assertThat(rendered.outputFile()).endsWith(".mp4");
    TaskCommand.parse(WorkerJobFactory.request(rendered.spec()), "b");
  }

  @Test
  void trimKeepsTheSourceContainerOnlyWhereItHoldsTheResult() throws Exception {
    VideoJob job = job(VideoOperation.Trim, List.of(1L));
    job.getSpec().setTrim(trim(0, 1000, TrimMode.Accurate));
    Video webm = video(1, "origin/a_20240910161824.webm", "vp9");
    webm.getSpec().getMedia().setAudioCodec("opus");
    assertThat(VideoCommands.render(job, List.of(webm), "b").outputFile()).endsWith(".webm");
    // Vorbis has no encoder here: re-encoded as AAC, which WebM cannot hold.
    webm.getSpec().getMedia().setAudioCodec("vorbis");
    var rendered = VideoCommands.render(job, List.of(webm), "b");
    assertThat(rendered.spec().getCommand()).contains("-c:v libvpx-vp9 -c:a aac");
    assertThat(rendered.outputFile()).endsWith(".mkv");
    TaskCommand.parse(WorkerJobFactory.request(rendered.spec()), "b");

    // A stream copy of H.264 from a .webm (Matroska content under a WebM name).
    job.getSpec().setTrim(trim(0, 1000, TrimMode.Fast));
    Video misnamed = video(2, "origin/b.WEBM", "h264");
    assertThat(VideoCommands.render(job, List.of(misnamed), "b").outputFile()).endsWith(".mkv");
    Video mov = video(3, "origin/c.MOV", "h264");
    assertThat(VideoCommands.render(job, List.of(mov), "b").outputFile()).endsWith(".mov");
    // What was stored before has no probe: only Matroska surely holds what a copy keeps.
    Video unprobed = video(4, "origin/d.mp4", "h264");
    unprobed.getSpec().setMedia(null);
    assertThat(VideoCommands.render(job, List.of(unprobed), "b").outputFile()).endsWith(".mkv");
    job.getSpec().setTrim(trim(0, 1000, TrimMode.Accurate));
    rendered = VideoCommands.render(job, List.of(unprobed), "b");
    assertThat(rendered.spec().getCommand()).contains("-c:v libx264 -c:a aac");
    assertThat(rendered.outputFile()).endsWith(".mp4");
  }

  @Test
  void concatJoinsInOrderWithRepeatsThroughOneList() throws Exception {
    VideoJob job = job(VideoOperation.Concat, List.of(2L, 1L, 2L));
    var rendered =
        VideoCommands.render(
            job,
            List.of(
                video(2, "origin/b.mp4", "h264"),
                video(1, "origin/a.mp4", "h264"),
                video(2, "origin/b.mp4", "h264")),
            "b");
    assertThat(rendered.spec().getInputs())
        .containsEntry("in_1", "s3://b/origin/b.mp4")
        .containsEntry("in_2", "s3://b/origin/a.mp4")
        .hasSize(2);
    assertThat(rendered.spec().getConcatLists().get("parts"))
        .containsExactly("in_1", "in_2", "in_1");
    assertThat(rendered.spec().getCommand()).contains("-c copy");
    assertThat(rendered.outputFile()).endsWith(".mp4");
    TaskCommand.parse(WorkerJobFactory.request(rendered.spec()), "b");
  }

  @Test
  void encodePicksAContainerForTheCodecs() throws Exception {
    VideoJob job = job(VideoOperation.Encode, List.of(1L));
    EncodeInfo encode = new EncodeInfo();
    encode.setVideoCodec("libvpx-vp9");
    encode.setAudioCodec("libopus");
    encode.setResolution("320:240");
    encode.setFrameRate(15);
    job.getSpec().setEncode(encode);
    var rendered = VideoCommands.render(job, List.of(video(1, "origin/a.mp4", "h264")), "b");
    assertThat(rendered.outputFile()).endsWith(".webm");
    assertThat(rendered.spec().getCommand())
        .contains("-c:v libvpx-vp9 -c:a libopus -vf scale=320:240 -r 15");
    TaskCommand.parse(WorkerJobFactory.request(rendered.spec()), "b");
  }

  @Test
  void encodeRunsTheEncoderTheBridgeResolved() throws Exception {
    VideoJob job = job(VideoOperation.Encode, List.of(1L));
    EncodeInfo encode = new EncodeInfo();
    encode.setVideoCodec("h264");
    encode.setVideoEncoder("libx264");
    encode.setAudioCodec("aac");
    encode.setAudioEncoder("aac");
    encode.setResolution("320:240");
    encode.setFrameRate(15);
    job.getSpec().setEncode(encode);
    var rendered = VideoCommands.render(job, List.of(video(1, "origin/a.mp4", "hevc")), "b");
    assertThat(rendered.spec().getCommand())
        .contains("-c:v libx264 -c:a aac -vf scale=320:240 -r 15 -pix_fmt yuv420p");
    assertThat(rendered.outputFile()).endsWith(".mp4");

    // A job queued before encoders were resolved names the encoder in the codec field.
    encode.setVideoEncoder(null);
    encode.setAudioEncoder(null);
    encode.setVideoCodec("libx265");
    assertThat(
            VideoCommands.render(job, List.of(video(1, "origin/a.mp4", "h264")), "b")
                .spec()
                .getCommand())
        .contains("-c:v libx265 -c:a aac");
  }
}
