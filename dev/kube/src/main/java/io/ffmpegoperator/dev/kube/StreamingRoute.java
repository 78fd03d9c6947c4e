package io.ffmpegoperator.dev.kube;

import io.vertx.core.http.HttpServerRequest;

/**
 * A request answered outside the mock's one-shot {@code MockResponse}: an answer that streams, such
 * as an HTTP watch or a followed pod log. {@link ApiHttpServer} offers each request to its routes
 * before the dispatcher.
 *
 * <p>{@link #handle} runs on the server's event loop and must not block: no file or store reads
 * that can wait on a lock held by a slow writer, no sleeps. A route that writes from another thread
 * captures {@code Vertx.currentContext()} in {@code handle} and writes through {@code
 * context.runOnContext(...)}.
 */
@FunctionalInterface
interface StreamingRoute {

  /**
   * Answers the request, or declines it before touching it.
   *
   * @return true if this route answers (or has started to answer) the request; false to leave it,
   *     unread and unanswered, to the next route or the dispatcher
   */
  boolean handle(HttpServerRequest request);
}
