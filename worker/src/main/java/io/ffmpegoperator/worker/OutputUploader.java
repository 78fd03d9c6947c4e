package io.ffmpegoperator.worker;

import io.ffmpegoperator.protocol.WorkReport.Step;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.FileEntity;

/** Stores one output with an HTTP PUT of the file to its pre-signed link, streamed from disk. */
final class OutputUploader {
  private final StorageClient http;
  private final Duration transferTimeout;

  OutputUploader(StorageClient http, Duration transferTimeout) {
    this.http = http;
    this.transferTimeout = transferTimeout;
  }

  /** Uploads {@code file}; returns its size. */
  long upload(String name, Path file, String uploadUrl) throws StepFailedException {
    if (!Files.isRegularFile(file)) {
      throw new StepFailedException(Step.Upload, "ffmpeg wrote no file for output '" + name + "'");
    }
    try {
      long size = Files.size(file);
      // No content type: the object is stored as S3's default binary/octet-stream.
      int status =
          http.put(
              URI.create(uploadUrl),
              new FileEntity(file.toFile(), (ContentType) null),
              transferTimeout);
      if (status / 100 != 2) {
        throw failed(name, "HTTP " + status);
      }
      return size;
    } catch (IllegalArgumentException e) {
      throw failed(name, "not a valid link");
    } catch (StorageClient.DeadlineException e) {
      throw failed(name, "timed out");
    } catch (FileNotFoundException e) {
      throw new StepFailedException(Step.Upload, "ffmpeg wrote no file for output '" + name + "'");
    } catch (IOException e) {
      throw failed(name, "transfer failed (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static StepFailedException failed(String name, String reason) {
    return new StepFailedException(
        Step.Upload, "output '" + name + "' could not be stored: " + reason);
  }
}
