package io.ffmpegoperator.bridge.task;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.JsonBody;
import java.util.Map;

/**
 * Reads a register body the way FastAPI and pydantic do (see {@link JsonBody}), so clients get the
 * same 422 answers.
 */
final class RegisterRequestParser {
  static final String FFMPEG_COMMAND = "ffmpeg_command";
  static final String INPUT_FILES = "input_files";
  static final String OUTPUT_FILES = "output_files";

  private RegisterRequestParser() {}

  /**
   * Parses a body.
   *
   * @param contentType the request's Content-Type header, or null
   * @throws ApiException 422 with pydantic-style errors
   */
  static RegisterRequest parse(String contentType, String body) {
    JsonBody json = JsonBody.parse(contentType, body);
    String command = json.string(FFMPEG_COMMAND, true);
    Map<String, String> inputs = json.stringMap(INPUT_FILES, false);
    Map<String, String> outputs = json.stringMap(OUTPUT_FILES, true);
    json.check();
    return new RegisterRequest(command, inputs == null ? Map.of() : inputs, outputs);
  }

  /** FastAPI parses as JSON when there is no Content-Type or it is application/json or +json. */
  static boolean isJson(String contentType) {
    return JsonBody.isJson(contentType);
  }
}
