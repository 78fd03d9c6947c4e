package io.ffmpegoperator.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A plain HTTP client for the REST API, as any user's script would be, plus the FFmpeg task calls
 * most tests make: register a task and wait for it to finish.
 */
final class TestingApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private final String apiKey;

  TestingApiClient(URI base) {
    this(base, null);
  }

  /** A client that sends {@code Authorization: Bearer <apiKey>} with every call, unless null. */
  TestingApiClient(URI base, String apiKey) {
    this.base = base;
    this.apiKey = apiKey;
  }

  /** Status code and parsed JSON body of one call. */
  record Answer(int status, JsonNode body, String text) {}

  Answer get(String path) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Answer post(String path, Object body) throws Exception {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /** A POST with extra headers, e.g. {@code Idempotency-Key}. */
  Answer post(String path, Object body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    headers.forEach(request::header);
    return send(request);
  }

  Answer delete(String path) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
  }

  Answer put(String path, Object body) throws Exception {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /** A call with a body sent exactly as given, e.g. malformed JSON. */
  Answer raw(String method, String path, String contentType, byte[] body) throws Exception {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", contentType)
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** {@code PUT /video/upload}: the files as multipart form parts named {@code files}. */
  Answer upload(Path... files) throws Exception {
    List<String> names = new ArrayList<>();
    for (Path file : files) {
      names.add(file.getFileName().toString());
    }
    return upload(names, files);
  }

  /** {@code PUT /video/upload} of files under the names given (which may be hostile). */
  Answer upload(List<String> names, Path... files) throws Exception {
    String boundary = "----ffmpeg-operator-test-" + System.nanoTime();
    List<byte[]> parts = new ArrayList<>();
    for (int i = 0; i < files.length; i++) {
      Path file = files[i];
      parts.add(
          ("--"
                  + boundary
                  + "\r\n"
                  + "Content-Disposition: form-data; name=\"files\"; filename=\""
                  + names.get(i)
                  + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      parts.add(Files.readAllBytes(file));
      parts.add("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    parts.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(
        HttpRequest.newBuilder(base.resolve("/video/upload"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .PUT(HttpRequest.BodyPublishers.ofByteArrays(parts)));
  }

  /**
   * {@code POST /ffmpeg/register} of a task, which must be accepted (200); returns the answer's
   * body, which holds the task's id.
   */
  JsonNode registerTask(
      String command, Map<String, String> inputFiles, Map<String, String> outputFiles)
      throws Exception {
    Answer answer =
        post(
            "/ffmpeg/register",
            Map.of(
                "ffmpeg_command", command, "input_files", inputFiles, "output_files", outputFiles));
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    return answer.body();
  }

  /** Polls the task's status until it has completed or failed; returns the last status. */
  JsonNode awaitTaskFinished(String taskId) {
    return awaitTaskFinished(taskId, new ArrayList<>());
  }

  /**
   * Polls the task's status (every answer must be a 200) for up to 90 s until it has completed or
   * failed; returns the last status and adds each state seen to {@code statesSeen}.
   */
  JsonNode awaitTaskFinished(String taskId, Collection<String> statesSeen) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Answer answer = get("/ffmpeg/status/" + taskId);
              assertThat(answer.status()).as(answer.text()).isEqualTo(200);
              statesSeen.add(answer.body().get("status").asText());
              return answer.body();
            },
            status -> List.of("completed", "failed").contains(status.get("status").asText()));
  }

  /** Status and Location of an answer that may be a redirect, which is not followed. */
  record Redirect(int status, String location) {}

  /** A GET whose answer may be a redirect: its status and where it points, if anywhere. */
  Redirect getRedirect(String path) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Redirect(
        response.statusCode(), response.headers().firstValue("Location").orElse(null));
  }

  /** Downloads a link (e.g. a pre-signed S3 URL) with no credentials. */
  int download(String url, Path target) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofFile(target))
        .statusCode();
  }

  private Answer send(HttpRequest.Builder request) throws Exception {
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    String body = response.body();
    return new Answer(response.statusCode(), body.isEmpty() ? null : JSON.readTree(body), body);
  }
}
