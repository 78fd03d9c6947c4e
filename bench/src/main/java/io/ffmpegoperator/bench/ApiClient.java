package io.ffmpegoperator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ffmpegoperator.bridge.BridgeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench's client of one API bridge: JSON calls with {@code java.net.http} (HTTP/1.1), uploads
 * with curl, which streams the files from disk as a browser or script would.
 */
final class ApiClient {
  /** How often a task's status is asked for while no watch event said it finished. */
  static final Duration UNSEEN_POLL = Duration.ofMillis(250);

  private static final ObjectMapper JSON = new ObjectMapper();
  // Longer than the longest answer: execute waits for its jobs up to the bridge's own timeout.
  private static final Duration REQUEST_TIMEOUT =
      BridgeConfig.DEFAULT_EXECUTE_TIMEOUT.plusMinutes(1);

  private final URI base;
  private final String key;
  private final HttpClient http;

  /** A client of an API with keys off. */
  ApiClient(URI base) {
    this(base, null);
  }

  /**
   * @param key the API key sent as {@code Authorization: Bearer <key>} on every JSON call (not on
   *     uploads, which only items on a stack with keys off make); null for none
   */
  ApiClient(URI base, String key) {
    this.base = base;
    this.key = key;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  HttpClient http() {
    return http;
  }

  /** {@code POST /ffmpeg/register}; returns the task id. */
  String register(String command, String input, String output) throws Exception {
    return register(command, input, output, Map.of());
  }

  /** {@code POST /ffmpeg/register} with fields beside the seed's, e.g. {@code webhook_url}. */
  String register(String command, String input, String output, Map<String, ?> extra)
      throws Exception {
    Map<String, Object> body = new LinkedHashMap<>(extra);
    body.put("ffmpeg_command", command);
    body.put("input_files", Map.of("in_1", input));
    body.put("output_files", Map.of("out_1", output));
    return post("/ffmpeg/register", body).get("task_id").asText();
  }

  /** {@code GET /ffmpeg/status/{id}}, or null for 404. */
  JsonNode taskStatus(String id) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/ffmpeg/status/" + id)));
    if (r.statusCode() == 404) {
      return null;
    }
    return json(r);
  }

  /**
   * Waits until {@code GET /ffmpeg/status/{id}} answers completed. It asks as soon as {@code
   * finishes} has seen the task finish, again each millisecond while the REST answer lags behind
   * that, and every {@link #UNSEEN_POLL} in case the watch missed the task.
   */
  void awaitCompleted(String id, TaskFinishes finishes, Duration timeout) throws Exception {
    double deadline = Clock.nowMs() + timeout.toMillis();
    while (Clock.nowMs() < deadline) {
      boolean seen = finishes.await(id, UNSEEN_POLL);
      JsonNode st = taskStatus(id);
      String state = st == null ? "missing" : st.get("status").asText();
      if (state.equals("completed")) {
        return;
      }
      if (state.equals("failed")) {
        throw new IOException("task " + id + " failed: " + st.get("error_message"));
      }
      if (seen) {
        Thread.sleep(1);
      }
    }
    throw new IOException("task " + id + " not finished after " + timeout);
  }

  /**
   * Downloads a link the API gave (an output's pre-signed link) to {@code file}, as a client of the
   * API would; must answer 200. Returns the bytes written.
   */
  long download(String url, Path file) throws Exception {
    HttpResponse<Path> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofFile(file));
    if (r.statusCode() != 200) {
      throw new IOException("GET " + URI.create(url).getPath() + " answered " + r.statusCode());
    }
    return Files.size(file);
  }

  /** A GET that must answer 200 with JSON. */
  JsonNode get(String pathAndQuery) throws Exception {
    return json(send(HttpRequest.newBuilder(base.resolve(pathAndQuery))));
  }

  /** A POST of a JSON body that must answer 200 with JSON. */
  JsonNode post(String path, Map<String, ?> body) throws Exception {
    return json(
        send(
            HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))));
  }

  /**
   * What {@code PUT /video/upload} answered and how long it took.
   *
   * @param seconds curl's total time: connecting, sending every byte, and the bridge's work until
   *     its answer
   */
  record Upload(JsonNode videos, double seconds, long bytesSent) {}

  /**
   * {@code PUT /video/upload} of these files as the form field {@code files}, one curl process;
   * must answer 200. Its log and the answer are kept as {@code <name>.log} and {@code <name>.json}
   * in {@code dir}.
   */
  Upload upload(List<Path> files, Path dir, String name, Duration timeout) throws Exception {
    Path answer = dir.resolve(name + ".json");
    List<String> argv =
        new ArrayList<>(
            List.of(
                "curl",
                "-sS",
                "-X",
                "PUT",
                "-o",
                answer.toString(),
                "-w",
                "\\n%{http_code} %{time_total} %{size_upload}"));
    for (Path file : files) {
      argv.add("-F");
      argv.add("files=@" + file);
    }
    argv.add(base.resolve("/video/upload").toString());
    Command.Result result = Command.run(argv, dir.resolve(name + ".log"), timeout);
    String[] written = result.output().lines().reduce((a, b) -> b).orElse("").split(" ");
    if (!result.ok() || written.length != 3 || !written[0].equals("200")) {
      throw new IOException(
          "upload answered "
              + result.output()
              + (Files.exists(answer) ? ": " + Files.readString(answer) : ""));
    }
    return new Upload(
        JSON.readTree(answer.toFile()), Double.parseDouble(written[1]), Long.parseLong(written[2]));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(
        request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    if (r.statusCode() != 200) {
      throw new IOException(
          r.request().method()
              + " "
              + r.uri().getPath()
              + " answered "
              + r.statusCode()
              + ": "
              + r.body());
    }
    return JSON.readTree(r.body());
  }
}
