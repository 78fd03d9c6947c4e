package io.ffmpegoperator.bridge.library;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.http.BodyTooLargeException;
import io.ffmpegoperator.bridge.http.ErrorResponse;
import io.ffmpegoperator.bridge.http.FileUpload;
import io.ffmpegoperator.bridge.http.QueryParams;
import io.ffmpegoperator.bridge.http.Responses;
import io.ffmpegoperator.bridge.http.ValidationError;
import io.ffmpegoperator.bridge.http.ValidationErrorResponse;
import io.ffmpegoperator.bridge.store.UserLinks;
import io.ffmpegoperator.bridge.store.VideoStore;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.media.MediaInfo;
import io.ffmpegoperator.storage.S3Storage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.glassfish.jersey.media.multipart.FormDataBodyPart;
import org.glassfish.jersey.media.multipart.FormDataMultiPart;
import org.glassfish.jersey.server.ContainerRequest;
import software.amazon.awssdk.core.exception.SdkException;

/** The video library: upload, list, describe and download videos. */
@Singleton
@Path("/")
public final class VideoResource {
  private final VideoStore videos;
  private final VideoUploads uploads;
  private final S3Storage storage;
  private final UserLinks links;

  @Inject
  public VideoResource(
      VideoStore videos, VideoUploads uploads, S3Storage storage, UserLinks links) {
    this.videos = videos;
    this.uploads = uploads;
    this.storage = storage;
    this.links = links;
  }

  @PUT
  @Path("video/upload")
  @FileUpload
  @Operation(
      summary = "Upload Videos",
      description =
          "Stores one or more videos (all or none) and returns their records. Each file is probed:"
              + " it must be a video in one of the supported containers.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.MULTIPART_FORM_DATA,
              schema = @Schema(implementation = UploadForm.class)))
  @ApiResponse(
      responseCode = "200",
      description = "The stored videos, in the order sent.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              array = @ArraySchema(schema = @Schema(implementation = VideoRecord.class))))
  @ApiResponse(
      responseCode = "400",
      description =
          "A file name holds a control or invisible character or a path separator, starts with a"
              + " dot, contains '..' or is longer than 255 bytes; nothing was stored.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "413",
      description =
          "The upload is larger than the server takes in one request; nothing was stored.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "415",
      description =
          "A file is empty, not a video in a supported format, or beyond the limits on streams,"
              + " frame size or duration; nothing was stored.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "422",
      description = "The form has no files.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ValidationErrorResponse.class)))
  public Response upload(@Context ContainerRequest request) {
    // Read here rather than by @Consumes/@FormDataParam: any other body, or a form without the
    // field, must be FastAPI's 422, not Jersey's 415 or 400.
    MediaType type = request.getMediaType();
    List<FormDataBodyPart> files =
        type != null && type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE)
            ? readForm(request).getFields("files")
            : null;
    if (files == null || files.isEmpty()) {
      throw ApiException.validation(
          List.of(ValidationError.missing(List.of("body", "files"), null)));
    }
    return Responses.json(uploads.upload(files).stream().map(VideoRecord::of).toList());
  }

  @GET
  @Path("video/view/all")
  @Operation(summary = "List Videos", description = "Video records ordered by id, one page.")
  @ApiResponse(
      responseCode = "200",
      description = "The page of video records.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              array = @ArraySchema(schema = @Schema(implementation = VideoRecord.class))))
  @ApiResponse(
      responseCode = "422",
      description = "skip or limit is not a non-negative integer.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ValidationErrorResponse.class)))
  public Response list(
      @Parameter(
              description = "How many videos to skip.",
              schema = @Schema(type = "integer", defaultValue = "0", minimum = "0"))
          @QueryParam("skip")
          String skip,
      @Parameter(
              description = "Page size.",
              schema = @Schema(type = "integer", defaultValue = "100", minimum = "0"))
          @QueryParam("limit")
          String limit) {
    long from = QueryParams.nonNegativeInt("skip", skip, 0);
    long size = QueryParams.nonNegativeInt("limit", limit, 100);
    return Responses.json(
        videos.list().stream().skip(from).limit(size).map(VideoRecord::of).toList());
  }

  @GET
  @Path("video/view/info")
  @Operation(
      summary = "Video Info",
      description = "The video's codecs, resolution and rounded frame rate, as ffprobe found them.")
  @ApiResponse(
      responseCode = "200",
      description = "The video's streams.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = VideoInfoResponse.class)))
  @ApiResponse(
      responseCode = "404",
      description = "No video has this id.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "422",
      description = "video_id is missing or not an integer.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ValidationErrorResponse.class)))
  @ApiResponse(
      responseCode = "500",
      description = "The video's information cannot be read.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  public Response info(
      @Parameter(required = true, schema = @Schema(type = "integer")) @QueryParam("video_id")
          String videoId) {
    Video video = find(videoId);
    MediaInfo media = video.getSpec().getMedia();
    if (media == null || media.getVideoCodec() == null) {
      throw ApiException.detail(500, "Failed to read the video's information");
    }
    return Responses.json(
        new VideoInfoResponse(
            media.getVideoCodec(),
            media.getAudioCodec(),
            media.resolution(),
            media.roundedFrameRate()));
  }

  @GET
  @Path("video/download")
  @Operation(
      summary = "Download Video",
      description = "A pre-signed link (7 days) to the video's file.")
  @ApiResponse(
      responseCode = "200",
      description = "One link.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              array = @ArraySchema(schema = @Schema(implementation = DownloadLink.class))))
  @ApiResponse(
      responseCode = "404",
      description = "No video has this id, or its file is gone.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ErrorResponse.class)))
  @ApiResponse(
      responseCode = "422",
      description = "video_id is missing or not an integer.",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ValidationErrorResponse.class)))
  public Response download(
      @Parameter(required = true, schema = @Schema(type = "integer")) @QueryParam("video_id")
          String videoId) {
    String key = find(videoId).getSpec().getFileKey();
    try {
      if (key == null || storage.size(key).isEmpty()) {
        throw ApiException.detail(404, "Video file not found");
      }
    } catch (SdkException e) {
      throw ApiException.detail(503, "The video storage is unavailable; try again later");
    }
    return Responses.json(List.of(new DownloadLink(links.get(key))));
  }

  // The parser has already deleted what it buffered when the body's cap trips; this only turns the
  // wrapped error into the 413 it stands for.
  private static FormDataMultiPart readForm(ContainerRequest request) {
    try {
      return request.readEntity(FormDataMultiPart.class);
    } catch (RuntimeException e) {
      BodyTooLargeException tooLarge = BodyTooLargeException.in(e);
      if (tooLarge != null) {
        throw ApiException.detail(413, tooLarge.getMessage());
      }
      throw e;
    }
  }

  private Video find(String videoId) {
    long id = QueryParams.requiredInt("query", "video_id", videoId);
    return videos.find(id).orElseThrow(() -> ApiException.detail(404, "Video not found"));
  }
}
