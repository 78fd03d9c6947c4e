package io.ffmpegoperator.bridge.library;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.ErrorResponse;
import io.ffmpegoperator.bridge.store.UserLinks;
import io.ffmpegoperator.storage.S3Storage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The library's files at the paths the video API shows ({@code ./storage/modi/…} is {@code GET
 * /storage/modi/…}), as the original service served its storage folder: a redirect to a pre-signed
 * link, so the bytes come from S3, not through the bridge.
 */
@Singleton
@Path("/storage")
public final class LibraryFileResource {
  private static final String REDIRECT =
      "A redirect (307) to a pre-signed link (7 days) to the file.";
  private static final String NOT_FOUND =
      "No such file: unknown, or not a plain file name under the folder.";

  private final S3Storage storage;
  private final UserLinks links;

  @Inject
  public LibraryFileResource(S3Storage storage, UserLinks links) {
    this.storage = storage;
    this.links = links;
  }

  @GET
  @Path("origin/{file}")
  @Operation(
      summary = "Uploaded File",
      description = "The file of an upload, at its original_file_path without the leading '.'.")
  @ApiResponse(
      responseCode = "307",
      description = REDIRECT,
      headers = @Header(name = "Location", schema = @Schema(type = "string", format = "uri")))
  @ApiResponse(
      responseCode = "404",
      description = NOT_FOUND,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  public Response upload(
      @Parameter(description = "The file name, e.g. video_20240910161824.mkv.") @PathParam("file")
          String file) {
    return redirect("origin", file);
  }

  @GET
  @Path("modi/{file}")
  @Operation(
      summary = "Produced File",
      description =
          "The file a trim, concat or encode produced, at its processed_file_path without the"
              + " leading '.'.")
  @ApiResponse(
      responseCode = "307",
      description = REDIRECT,
      headers = @Header(name = "Location", schema = @Schema(type = "string", format = "uri")))
  @ApiResponse(
      responseCode = "404",
      description = NOT_FOUND,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  public Response result(
      @Parameter(description = "The file name, e.g. video_trim_20240910161824.mkv.")
          @PathParam("file")
          String file) {
    return redirect("modi", file);
  }

  private Response redirect(String folder, String file) {
    String key =
        LibraryFiles.keyOf(folder, file)
            .orElseThrow(() -> ApiException.detail(404, "File not found"));
    try {
      if (storage.size(key).isEmpty()) {
        throw ApiException.detail(404, "File not found");
      }
    } catch (SdkException e) {
      throw ApiException.detail(503, "The video storage is unavailable; try again later");
    }
    return Response.temporaryRedirect(URI.create(links.get(key))).build();
  }
}
