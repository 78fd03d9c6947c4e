package io.ffmpegoperator.bridge.library;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** A pre-signed link to a video's file. */
@Schema(name = "DownloadLink", requiredProperties = "download_link")
public record DownloadLink(
    @JsonProperty("download_link")
        @Schema(description = "Pre-signed S3 GET link, valid for 7 days.")
        String downloadLink) {}
