package io.ffmpegoperator.bridge.library;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The multipart form of {@code PUT /video/upload}; only describes it for OpenAPI. */
@Schema(name = "Body_upload_videos", requiredProperties = "files")
public record UploadForm(
    @ArraySchema(
            arraySchema =
                @Schema(
                    description =
                        "One or more videos: mp4, avi, mov, mkv, wmv, flv, mpeg, 3gp or webm."),
            schema = @Schema(type = "string", format = "binary"))
        List<String> files) {}
