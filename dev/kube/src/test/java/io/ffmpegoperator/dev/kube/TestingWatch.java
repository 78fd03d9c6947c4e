package io.ffmpegoperator.dev.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP watch read the way client-go and Python's client read one: a streamed answer, one JSON
 * event per line, read on a thread of its own.
 */
final class TestingWatch implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  // Put in the queue when the stream ends.
  private static final String END = "\u0000end";

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;

  private TestingWatch(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "testing-watch");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens {@code url} with this Accept header (HTTP/1.1, as kubectl and Python speak it). */
  static TestingWatch open(String url, String accept) throws Exception {
    HttpResponse<InputStream> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    return new TestingWatch(response);
  }

  HttpResponse<InputStream> response() {
    return response;
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      // closed by the test, or cut off by the server: the stream ended either way
    } finally {
      lines.add(END);
    }
  }

  /** The next event; fails if none comes within 10 s or the stream ends first. */
  JsonNode next() throws Exception {
    Optional<JsonNode> event = poll(Duration.ofSeconds(10));
    assertThat(event).as("an event within 10 s").isPresent();
    return event.get();
  }

  /** The next event within {@code wait}; empty if none came or the stream ended. */
  Optional<JsonNode> poll(Duration wait) throws Exception {
    String line = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      return Optional.empty();
    }
    if (line.equals(END)) {
      lines.add(END);
      return Optional.empty();
    }
    return Optional.of(JSON.readTree(line));
  }

  /** Whether the server ended the stream within {@code wait}, after any events not read yet. */
  boolean endsWithin(Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(10, TimeUnit.MILLISECONDS);
      if (END.equals(line)) {
        lines.add(END);
        return true;
      }
    }
    return false;
  }

  /** The events left before the stream ends; the stream must end within {@code wait}. */
  List<JsonNode> rest(Duration wait) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(10, TimeUnit.MILLISECONDS);
      if (END.equals(line)) {
        lines.add(END);
        return events;
      }
      if (line != null) {
        events.add(JSON.readTree(line));
      }
    }
    throw new AssertionError("the stream did not end within " + wait + "; read " + events);
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    reader.interrupt();
  }
}
