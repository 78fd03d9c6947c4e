package io.ffmpegoperator.dev.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

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
