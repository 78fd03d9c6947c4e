package io.ffmpegoperator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ffmpegoperator.bridge.VideoApiFixture.Answer;
import io.ffmpegoperator.bridge.VideoApiFixture.Part;
import io.ffmpegoperator.bridge.http.MultipartGuard;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Uploads past the body cap or the part count, or without a key: 413/401, and nothing kept. */
class UploadLimitsIT {
  private static final long MAX_UPLOAD = 256 << 10;

  @RegisterExtension
  static final VideoApiFixture fx =
      VideoApiFixture.forTestClass(config -> config.withMaxUploadBytes(MAX_UPLOAD));

  private static Path clip;
  private int videosBefore;
  private List<String> objectsBefore;

  @BeforeAll
  static void clip() throws Exception {
    clip = fx.clip("clip.mp4", 1, 160, 120, 10, false);
  }

  @BeforeEach
  void countWhatIsStored() {
    videosBefore = fx.videos().size();
    objectsBefore = fx.objects("origin/");
  }

  @Test
  void anUploadWithinTheCapIsStored() throws Exception {
    Answer answer = fx.upload(Part.of(clip));

    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(fx.videos()).hasSize(videosBefore + 1);
  }

  @Test
  void aDeclaredLengthAboveTheCapIs413BeforeAnythingIsRead() throws Exception {
    Answer answer = fx.upload(Part.of(clip), Part.of("big.mp4", new byte[(int) MAX_UPLOAD]));

    assertThat(answer.status()).as(answer.text()).isEqualTo(413);
    assertThat(answer.detail())
        .isEqualTo("Upload too large: at most 256 KiB may be sent in one request");
    assertNothingStored();
  }

  @Test
  void aChunkedUploadIsCutOffAtTheCap() throws Exception {
    HttpRequest.Builder request =
        fx.uploadRequest("files", Part.of(clip), Part.of("big.mp4", new byte[(int) MAX_UPLOAD]));
    HttpRequest sized = request.build();
    // Without a declared length the body is sent chunked: only reading it can find its size.
    HttpRequest chunked =
        HttpRequest.newBuilder(sized, (name, value) -> true)
            .PUT(BodyPublishers.fromPublisher(sized.bodyPublisher().orElseThrow()))
            .build();
    assertThat(chunked.bodyPublisher().orElseThrow().contentLength()).isNegative();

    Answer answer = fx.send(chunked);

    assertThat(answer.status()).as(answer.text()).isEqualTo(413);
    assertThat(answer.detail()).startsWith("Upload too large");
    assertNothingStored();
  }

  @Test
  void tooManyPartsAre413() throws Exception {
    List<Part> parts = new ArrayList<>();
    for (int i = 0; i <= MultipartGuard.MAX_PARTS; i++) {
      parts.add(Part.of("tiny-" + i + ".mp4", new byte[16]));
    }

    Answer answer = fx.upload(parts.toArray(Part[]::new));

    assertThat(answer.status()).as(answer.text()).isEqualTo(413);
    assertThat(answer.detail()).contains("too many parts");
    assertNothingStored();
  }

  @Test
  void anUploadWithoutAKeyIs401() throws Exception {
    Answer answer = fx.sendAsIs(fx.uploadRequest("files", Part.of(clip)).build());

    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.text()).isEqualTo("{\"detail\":\"Not authenticated\"}");
    assertNothingStored();
  }

  private void assertNothingStored() throws Exception {
    assertThat(fx.videos()).hasSize(videosBefore);
    assertThat(fx.objects("origin/")).isEqualTo(objectsBefore);
    await().untilAsserted(() -> assertThat(fx.bridge.uploadDir()).isEmptyDirectory());
  }
}
