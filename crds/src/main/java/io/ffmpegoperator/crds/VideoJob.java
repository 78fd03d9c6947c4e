package io.ffmpegoperator.crds;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One queued trim, concat or encode of library videos; {@code spec.jobId} is its API job id. */
@Group(CrdConstants.GROUP)
@Version(CrdConstants.VERSION)
@ShortNames("vj")
@AdditionalPrinterColumn(
    name = "Job",
    jsonPath = ".spec.jobId",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Operation", jsonPath = ".spec.operation")
@AdditionalPrinterColumn(name = "Request Code", jsonPath = ".spec.requestCode")
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.state")
@AdditionalPrinterColumn(
    name = "Progress",
    jsonPath = ".status.progress",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Output Video",
    jsonPath = ".status.outputVideoId",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class VideoJob extends TolerantResource<VideoJobSpec, VideoJobStatus> {
  /** Label holding a hash of the request code (label values cannot hold any string). */
  public static final String REQUEST_CODE_LABEL = CrdConstants.GROUP + "/request-code-hash";

  /**
   * Label holding the job id, so that a job is found by its id whatever its name: most are named
   * {@link #nameFor}, one queued with an idempotency key is named after the key.
   */
  public static final String JOB_ID_LABEL = CrdConstants.GROUP + "/job-id";

  /** Resource name of the job with this id, unless it was queued with an idempotency key. */
  public static String nameFor(long jobId) {
    return "videojob-" + jobId;
  }

  /** The value of {@link #REQUEST_CODE_LABEL} for a request code. */
  public static String requestCodeLabel(String requestCode) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(requestCode.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
