package io.ffmpegoperator.worker;

import io.ffmpegoperator.crds.WorkReport.Step;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Stores one output with an HTTP PUT of the file to its pre-signed link, streamed from disk. */
final class OutputUploader {
  private final HttpClient http;
  private final Duration transferTimeout;

  OutputUploader(HttpClient http, Duration transferTimeout) {
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
      // The timeout runs until the answer, which S3 sends after the last byte: it bounds the
      // upload.
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(uploadUrl))
              .PUT(HttpRequest.BodyPublishers.ofFile(file))
              .timeout(transferTimeout)
              .build();
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status / 100 != 2) {
        throw failed(name, "HTTP " + status);
      }
      return size;
    } catch (IllegalArgumentException e) {
      throw failed(name, "not a valid link");
    } catch (HttpTimeoutException e) {
      throw failed(name, "timed out");
    } catch (FileNotFoundException e) {
      throw new StepFailedException(Step.Upload, "ffmpeg wrote no file for output '" + name + "'");
    } catch (IOException e) {
      throw failed(name, "transfer failed (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(name, "interrupted");
    }
  }

  private static StepFailedException failed(String name, String reason) {
    return new StepFailedException(
        Step.Upload, "output '" + name + "' could not be stored: " + reason);
  }
}
