package io.ffmpegoperator.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streams that cap request bodies, and how limits are described. */
class BodyLimitsTest {

  @Test
  void aLimitedStreamGivesUpToTheLimitAndFailsPastIt() throws Exception {
    assertThat(new LimitedInputStream(bytes(10), 10, "too big").readAllBytes()).hasSize(10);

    InputStream over = new LimitedInputStream(bytes(11), 10, "too big");
    assertThatThrownBy(over::readAllBytes)
        .isInstanceOf(BodyTooLargeException.class)
        .hasMessage("too big");

    InputStream byByte = new LimitedInputStream(bytes(3), 2, "too big");
    byByte.read();
    byByte.read();
    assertThatThrownBy(byByte::read).isInstanceOf(BodyTooLargeException.class);

    InputStream skipping = new LimitedInputStream(bytes(100), 10, "too big");
    assertThatThrownBy(() -> skipping.skip(50)).isInstanceOf(BodyTooLargeException.class);
  }

  @Test
  void aRefusedBodyIsReadToItsEndSoTheClientGetsTheAnswer() throws Exception {
    ByteArrayInputStream source = bytes(1000);
    InputStream limited = new LimitedInputStream(source, 10, "too big");

    assertThatThrownBy(() -> limited.read(new byte[500])).isInstanceOf(BodyTooLargeException.class);
    assertThat(source.available()).isZero();
  }

  @Test
  void butAnEndlessOneOnlyUpToTheDrainAllowance() throws Exception {
    long[] served = new long[1];
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            served[0]++;
            return 'x';
          }

          @Override
          public int read(byte[] buffer, int offset, int length) {
            served[0] += length;
            return length;
          }
        };
    InputStream limited = new LimitedInputStream(endless, 100, "too big");

    assertThatThrownBy(limited::readAllBytes).isInstanceOf(BodyTooLargeException.class);
    assertThat(served[0]).isLessThanOrEqualTo(101 + GuardedInputStream.DRAIN_BYTES);
  }

  @Test
  void theGuardLetsAnOrdinaryFormThrough() throws Exception {
    String form = form("b0undary", 3, "Content-Type: video/mp4\r\n");

    byte[] read = new MultipartGuard(stream(form), "b0undary").readAllBytes();

    assertThat(new String(read, StandardCharsets.ISO_8859_1)).isEqualTo(form);
  }

  @Test
  void theGuardRefusesTooManyParts() throws Exception {
    String atLimit = form("xyz", MultipartGuard.MAX_PARTS, "");
    assertThat(new MultipartGuard(stream(atLimit), "xyz").readAllBytes()).isNotEmpty();

    String over = form("xyz", MultipartGuard.MAX_PARTS + 1, "");
    assertThatThrownBy(() -> new MultipartGuard(stream(over), "xyz").readAllBytes())
        .isInstanceOf(BodyTooLargeException.class)
        .hasMessageContaining("too many parts");
  }

  @Test
  void theGuardRefusesEndlessPartHeaders() throws Exception {
    String headers = "X-Filler: " + "a".repeat(MultipartGuard.MAX_HEADER_BYTES) + "\r\n";
    assertThatThrownBy(
            () -> new MultipartGuard(stream(form("xyz", 1, headers)), "xyz").readAllBytes())
        .isInstanceOf(BodyTooLargeException.class)
        .hasMessageContaining("headers too large");
    // A large part body is no header: only what comes before the blank line counts.
    String big = "--xyz\r\n\r\n" + "a".repeat(100_000) + "\r\n--xyz--\r\n";
    assertThat(new MultipartGuard(stream(big), "xyz").readAllBytes()).hasSize(big.length());
  }

  @Test
  void theGuardSeesSkippedAndSingleBytesAndDrainsWhatItRefuses() throws Exception {
    String over = form("xyz", MultipartGuard.MAX_PARTS + 1, "");
    InputStream skipping = new MultipartGuard(stream(over), "xyz");
    assertThatThrownBy(
            () -> {
              while (skipping.skip(Long.MAX_VALUE) > 0) {
                // skip to the end
              }
            })
        .isInstanceOf(BodyTooLargeException.class)
        .hasMessageContaining("too many parts");

    ByteArrayInputStream source = stream(over + "x".repeat(1000));
    InputStream byByte = new MultipartGuard(source, "xyz");
    assertThatThrownBy(
            () -> {
              while (byByte.read() >= 0) {
                // read to the end
              }
            })
        .isInstanceOf(BodyTooLargeException.class);
    assertThat(source.available()).isZero();
  }

  @Test
  void neitherStreamLetsABodyBeReadTwice() {
    for (InputStream guarded :
        List.of(
            new LimitedInputStream(bytes(10), 10, "too big"),
            new MultipartGuard(stream("--x--\r\n"), "x"))) {
      assertThat(guarded.markSupported()).isFalse();
      guarded.mark(100);
      assertThatThrownBy(guarded::reset).isInstanceOf(IOException.class);
    }
  }

  @Test
  void limitsAreDescribedInTheLargestWholeUnit() {
    assertThat(BodyLimitFilter.describe(1L << 20)).isEqualTo("1 MiB");
    assertThat(BodyLimitFilter.describe(8L << 30)).isEqualTo("8 GiB");
    assertThat(BodyLimitFilter.describe(64L << 10)).isEqualTo("64 KiB");
    assertThat(BodyLimitFilter.describe(1500)).isEqualTo("1500 bytes");
    assertThat(BodyLimitFilter.contentLength(" 42 ")).isEqualTo(42);
    assertThat(BodyLimitFilter.contentLength(null)).isEqualTo(-1);
    assertThat(BodyLimitFilter.contentLength("many")).isEqualTo(-1);
  }

  private static String form(String boundary, int parts, String extraHeaders) {
    StringBuilder form = new StringBuilder("preamble\r\n");
    for (int i = 0; i < parts; i++) {
      form.append("--")
          .append(boundary)
          .append("\r\nContent-Disposition: form-data; name=\"files\"; filename=\"f")
          .append(i)
          .append(".mp4\"\r\n")
          .append(extraHeaders)
          .append("\r\n")
          .append("-- not a boundary --".repeat(3))
          .append("\r\n");
    }
    return form.append("--").append(boundary).append("--\r\n").toString();
  }

  private static ByteArrayInputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static ByteArrayInputStream bytes(int size) {
    return new ByteArrayInputStream(new byte[size]);
  }
}
