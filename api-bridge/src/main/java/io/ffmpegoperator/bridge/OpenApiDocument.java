package io.ffmpegoperator.bridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The OpenAPI description of the API, generated once from the JAX-RS resources' annotations so it
 * cannot drift from what is served.
 */
final class OpenApiDocument {
  static final String TITLE = "ffmpeg-operator API";
  static final String VERSION = "0.1.0";

  private OpenApiDocument() {}

  /** The document as JSON. */
  static String generate(List<Class<?>> resources) {
    OpenAPI base =
        new OpenAPI()
            .info(
                new Info()
                    .title(TITLE)
                    .version(VERSION)
                    .description(
                        "Runs FFmpeg commands as Kubernetes FfmpegTask resources; outputs are"
                            + " returned as pre-signed S3 links valid for 7 days."));
    SwaggerConfiguration config =
        new SwaggerConfiguration().openAPI(base).readAllResources(false).sortOutput(false);
    OpenAPI document = new Reader(config).read(new LinkedHashSet<>(resources));
    try {
      return Json.mapper().writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write the OpenAPI document", e);
    }
  }
}
