package io.ffmpegoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.VideoOrigin;
import io.ffmpegoperator.crds.VideoSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultKeysTest {
  private static final String OUTPUT = "ffmpeg-outputs/videojob-7/video_trim_20240910161824_7.mp4";

  private static FfmpegTask task(String annotation) {
    FfmpegTask task = new FfmpegTask();
    ObjectMetaBuilder meta = new ObjectMetaBuilder().withName("videojob-7");
    if (annotation != null) {
      meta.withAnnotations(Map.of(ResultKeys.ANNOTATION, annotation));
    }
    task.setMetadata(meta.build());
    return task;
  }

  @Test
  void theKeyClaimedWithTheTaskIsWhereItsResultGoes() {
    assertThat(ResultKeys.of(task("modi/영상_trim_20240910161824_2.mp4"), OUTPUT))
        .isEqualTo("modi/영상_trim_20240910161824_2.mp4");
  }

  @Test
  void aTaskOfAnEarlierVersionOrAnEditedAnnotationGetsTheOldName() {
    for (String annotation :
        new String[] {
          null,
          "",
          "modi/",
          "origin/clip.mp4",
          "modi/../origin/clip.mp4",
          "modi/a/b.mp4",
          "modi/.hidden.mp4",
          "modi/a\nb.mp4",
          "ffmpeg-outputs/x/y.mp4"
        }) {
      assertThat(ResultKeys.of(task(annotation), OUTPUT))
          .as(String.valueOf(annotation))
          .isEqualTo("modi/video_trim_20240910161824_7.mp4");
    }
  }

  @Test
  void resultsAreNamedAfterTheUploadedNameOrTheSourceKey() {
    VideoSpec upload = new VideoSpec();
    upload.setOrigin(VideoOrigin.Upload);
    upload.setFileKey("origin/20240910161824_13_my_clip.mp4");
    upload.setUploadedFileName("my clip.MP4");
    assertThat(ResultKeys.stemOf(upload)).isEqualTo("my_clip");
    upload.setUploadedFileName(null);
    assertThat(ResultKeys.stemOf(upload)).isEqualTo("my_clip");

    VideoSpec result = new VideoSpec();
    result.setOrigin(VideoOrigin.Trim);
    result.setFileKey("modi/my_clip_trim_20240910161824.mp4");
    assertThat(ResultKeys.stemOf(result)).isEqualTo("my_clip");
    result.setFileKey(null);
    assertThat(ResultKeys.stemOf(result)).isEqualTo("video");
  }
}
