package io.ffmpegoperator.dev.stack;

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
import java.util.List;

/** A plain HTTP client for the REST API, as any user's script would be. */
final class TestingApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;

  TestingApiClient(URI base) {
    this.base = base;
  }

  /** Status code and parsed JSON body of one call. */
  record Answer(int status, JsonNode body) {}

  Answer get(String path) throws Exception {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Answer post(String path, Object body) throws Exception {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  Answer put(String path, Object body) throws Exception {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /** {@code PUT /video/upload}: the files as multipart form parts named {@code files}. */
  Answer upload(Path... files) throws Exception {
    String boundary = "----ffmpeg-operator-test-" + System.nanoTime();
    List<byte[]> parts = new ArrayList<>();
    for (Path file : files) {
      parts.add(
          ("--"
                  + boundary
                  + "\r\n"
                  + "Content-Disposition: form-data; name=\"files\"; filename=\""
                  + file.getFileName()
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

  /** Downloads a link (e.g. a pre-signed S3 URL) with no credentials. */
  int download(String url, Path target) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofFile(target))
        .statusCode();
  }

  private Answer send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    String body = response.body();
    return new Answer(response.statusCode(), body.isEmpty() ? null : JSON.readTree(body));
  }
}
