package io.ffmpegoperator.worker;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Writes a response body straight to a file, one buffer at a time, and stops the transfer as soon
 * as it passes a byte cap; the body's value is the number of bytes written.
 */
final class CappedFileSubscriber implements HttpResponse.BodySubscriber<Long> {

  /** The body passed the cap. */
  static final class TooLargeException extends IOException {
    TooLargeException() {
      super("too large", null);
    }
  }

  private final Path target;
  private final long maxBytes;
  private final long declaredLength;
  private final CompletableFuture<Long> result = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;
  private FileChannel channel;
  private long written;

  /** {@code declaredLength} is the Content-Length, or -1; a larger one fails before any byte. */
  CappedFileSubscriber(Path target, long maxBytes, long declaredLength) {
    this.target = target;
    this.maxBytes = maxBytes;
    this.declaredLength = declaredLength;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (declaredLength > maxBytes) {
      s.cancel();
      fail(new TooLargeException());
      return;
    }
    try {
      channel =
          FileChannel.open(
              target,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      s.cancel();
      fail(e);
      return;
    }
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    try {
      for (ByteBuffer buffer : buffers) {
        written += buffer.remaining();
        if (written > maxBytes) {
          throw new TooLargeException();
        }
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
      subscription.request(1);
    } catch (IOException e) {
      subscription.cancel();
      fail(e);
    }
  }

  @Override
  public void onError(Throwable error) {
    fail(error);
  }

  @Override
  public void onComplete() {
    try {
      closeChannel();
      result.complete(written);
    } catch (IOException e) {
      fail(e);
    }
  }

  @Override
  public CompletionStage<Long> getBody() {
    return result;
  }

  /** Stops the transfer from another thread, e.g. when time is up. */
  void abort(IOException reason) {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    fail(reason);
  }

  private void fail(Throwable error) {
    try {
      closeChannel();
    } catch (IOException ignored) {
      // the transfer failed already; that failure is the one worth reporting
    }
    result.completeExceptionally(error);
  }

  private synchronized void closeChannel() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
