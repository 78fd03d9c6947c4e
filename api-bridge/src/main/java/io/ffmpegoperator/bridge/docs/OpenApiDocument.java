package io.ffmpegoperator.bridge.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ffmpegoperator.bridge.http.RequestPolicyFeature;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Set;

/**
 * The OpenAPI description of the API, generated from the JAX-RS resources' annotations so it cannot
 * drift from what is served.
 */
public final class OpenApiDocument {
  static final String TITLE = "ffmpeg-operator API";
  static final String VERSION = "0.1.0";

  /**
   * The security scheme's name; FastAPI's for the same scheme, so clients see the same document.
   */
  static final String BEARER_SCHEME = "HTTPBearer";

  private static final String ERROR_SCHEMA = "#/components/schemas/HTTPError";

  private final List<Class<?>> resources;

  /**
   * @param resources the resource classes to describe
   */
  public OpenApiDocument(List<Class<?>> resources) {
    this.resources = List.copyOf(resources);
  }

  /** The document as JSON, generated on each call: the docs endpoints ask once. */
  String json() {
    OpenAPI document = read(resources);
    // Which operations are open is read from the same marker the key check uses, so the
    // document and the server cannot disagree.
    OpenAPI open = read(resources.stream().filter(RequestPolicyFeature::isOpen).toList());
    Set<String> openPaths = open.getPaths() == null ? Set.of() : open.getPaths().keySet();
    if (document.getComponents() == null) {
      document.setComponents(new Components());
    }
    document
        .getComponents()
        .addSecuritySchemes(
            BEARER_SCHEME,
            new SecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .description(
                    "An API key, sent as `Authorization: Bearer <key>`. The health checks and"
                        + " these docs need none."));
    document
        .getPaths()
        .forEach(
            (path, item) -> {
              if (!openPaths.contains(path)) {
                item.readOperations().forEach(OpenApiDocument::protect);
              }
            });
    try {
      return Json.mapper().writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write the OpenAPI document", e);
    }
  }

  private static OpenAPI read(List<Class<?>> resources) {
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
    // One class at a time: given them together, the Reader sorts them by class name, and so by
    // package, while the document lists the seed's endpoints in the order given.
    Reader reader = new Reader(config);
    OpenAPI document = base;
    for (Class<?> resource : resources) {
      document = reader.read(Set.of(resource));
    }
    return document;
  }

  private static void protect(Operation operation) {
    operation.addSecurityItem(new SecurityRequirement().addList(BEARER_SCHEME));
    operation
        .getResponses()
        .addApiResponse("401", error("No API key was sent, or it is not a valid one."));
    if (operation.getRequestBody() != null) {
      operation
          .getResponses()
          .addApiResponse("413", error("The request body is larger than the server takes."));
    }
  }

  private static ApiResponse error(String description) {
    return new ApiResponse()
        .description(description)
        .content(
            new Content()
                .addMediaType(
                    jakarta.ws.rs.core.MediaType.APPLICATION_JSON,
                    new MediaType().schema(new Schema<>().$ref(ERROR_SCHEMA))));
  }
}
