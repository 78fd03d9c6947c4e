package io.ffmpegoperator.crds;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One stored video of the library; {@code spec.id} is the video API's integer id. */
@Group(CrdConstants.GROUP)
@Version(CrdConstants.VERSION)
@Plural("videos")
@ShortNames("vid")
@AdditionalPrinterColumn(
    name = "Id",
    jsonPath = ".spec.id",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Origin", jsonPath = ".spec.origin")
@AdditionalPrinterColumn(name = "File", jsonPath = ".spec.fileKey")
@AdditionalPrinterColumn(name = "Video", jsonPath = ".spec.media.videoCodec")
@AdditionalPrinterColumn(
    name = "Width",
    jsonPath = ".spec.media.width",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Height",
    jsonPath = ".spec.media.height",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Video extends TolerantResource<VideoSpec, Void> {
  /** Label of a produced video: the id of the VideoJob that made it. */
  public static final String JOB_LABEL = CrdConstants.GROUP + "/video-job";

  /** Resource name of the video with this id. */
  public static String nameFor(long id) {
    return "video-" + id;
  }
}
