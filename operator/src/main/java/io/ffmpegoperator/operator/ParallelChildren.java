package io.ffmpegoperator.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.ffmpegoperator.crds.CrdConstants;
import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.FfmpegTaskSpec;
import io.ffmpegoperator.policy.SplitCommand;
import io.ffmpegoperator.storage.StorageKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The child FfmpegTasks of a parallel task: their names, derived from the parent's so that a
 * restarted operator finds them, and their specs, made from the parent's split command. Each child
 * is an ordinary task (its own Job, retries, cancel, finalizer), labelled with its parent and its
 * parent's client, owned by the parent as controller.
 */
final class ParallelChildren {
  static final String PROBE_FILE = "probe.crc";
  static final String SEGMENT_FILE = "segment.mp4";
  static final String AUDIO_FILE = "audio.m4a";

  private static final String IN = "in_1";
  private static final String OUT = "out_1";
  private static final String SEGMENTS_LIST = "segments";
  private static final String AUDIO_INPUT = "audio";

  private ParallelChildren() {}

  static String probeName(FfmpegTask parent) {
    return parent.getMetadata().getName() + "-probe";
  }

  static String segmentName(FfmpegTask parent, int index) {
    return parent.getMetadata().getName() + "-seg-" + index;
  }

  static String audioName(FfmpegTask parent) {
    return parent.getMetadata().getName() + "-audio";
  }

  static String joinName(FfmpegTask parent) {
    return parent.getMetadata().getName() + "-join";
  }

  /**
   * Lists every packet of the video and, when there is one, of the first audio stream, without
   * decoding: the video's keyframes plan the segments, an audio stream says an audio child is due.
   */
  static FfmpegTask probe(FfmpegTask parent, SplitCommand split) {
    return child(
        parent,
        probeName(parent),
        "probe",
        "-i " + IN + " -map 0:v:0 -map 0:a:0? -c copy -f framecrc " + OUT,
        inputOf(parent, split),
        PROBE_FILE);
  }

  /**
   * Encodes the video frames of one segment: an exact seek to its keyframe, its frame count. MP4
   * with a movie timescale that holds every common frame rate's step in whole ticks: Matroska's
   * millisecond times misalign 30000/1001 joins, and ffmpeg 5.1 times concat entries by the movie
   * duration, which is in milliseconds by default (SegmentSeamsIT shows both).
   */
  static FfmpegTask segment(FfmpegTask parent, SplitCommand split, SegmentPlan.Segment segment) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("-ss", segment.start(), "-i", IN));
    args.addAll(List.of("-frames:v", Long.toString(segment.frames()), "-map", "0:v:0"));
    args.addAll(split.videoArgs());
    args.addAll(List.of("-an", "-movie_timescale", "120000", "-f", "mp4", OUT));
    return child(
        parent,
        segmentName(parent, segment.index()),
        "segment",
        String.join(" ", args),
        inputOf(parent, split),
        SEGMENT_FILE);
  }

  /**
   * Encodes the whole audio once, so no seam of the video is a seam of the audio. MP4 rather than
   * Matroska: its edit list keeps the encoder's priming, which Matroska turns into a negative start
   * the join's stream copy would add to the output's length.
   */
  static FfmpegTask audio(FfmpegTask parent, SplitCommand split) {
    List<String> args = new ArrayList<>(List.of("-i", IN, "-map", "0:a:0"));
    args.addAll(split.audioArgs());
    args.addAll(List.of("-vn", "-f", "mp4", OUT));
    return child(
        parent,
        audioName(parent),
        "audio",
        String.join(" ", args),
        inputOf(parent, split),
        AUDIO_FILE);
  }

  /**
   * Joins the segments by stream copy (the concat demuxer over the segment outputs) and muxes the
   * audio in, into a file of the parent's output name so the muxer is the one it would have had.
   */
  static FfmpegTask join(
      FfmpegTask parent, SplitCommand split, int segments, boolean audio, String bucket) {
    Map<String, String> inputs = new LinkedHashMap<>();
    List<String> members = new ArrayList<>();
    for (int k = 0; k < segments; k++) {
      String name = "seg_" + k;
      members.add(name);
      inputs.put(name, s3(bucket, segmentName(parent, k), SEGMENT_FILE));
    }
    List<String> args = new ArrayList<>(List.of("-f", "concat", "-i", SEGMENTS_LIST));
    if (audio) {
      inputs.put(AUDIO_INPUT, s3(bucket, audioName(parent), AUDIO_FILE));
      args.addAll(List.of("-i", AUDIO_INPUT, "-map", "0:v", "-map", "1:a"));
    } else {
      args.addAll(List.of("-map", "0:v"));
    }
    args.addAll(List.of("-c", "copy"));
    args.addAll(split.muxArgs());
    args.add(OUT);
    FfmpegTask join =
        child(
            parent,
            joinName(parent),
            "join",
            String.join(" ", args),
            inputs,
            parent.getSpec().getOutputs().get(split.outputName()));
    join.getSpec().setConcatLists(Map.of(SEGMENTS_LIST, members));
    return join;
  }

  private static Map<String, String> inputOf(FfmpegTask parent, SplitCommand split) {
    return Map.of(IN, parent.getSpec().getInputs().get(split.inputName()));
  }

  private static String s3(String bucket, String child, String file) {
    return "s3://" + bucket + "/" + StorageKeys.taskOutput(child, file);
  }

  private static FfmpegTask child(
      FfmpegTask parent,
      String name,
      String role,
      String command,
      Map<String, String> inputs,
      String outputFile) {
    FfmpegTaskSpec from = parent.getSpec();
    FfmpegTaskSpec spec = new FfmpegTaskSpec(command, inputs, Map.of(OUT, outputFile));
    spec.setResources(from.getResources());
    spec.setTimeoutSeconds(from.getTimeoutSeconds());
    spec.setPriority(from.getPriority());
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(CrdConstants.LABEL_MANAGED_BY, WorkerJobFactory.MANAGED_BY);
    labels.put(CrdConstants.LABEL_COMPONENT, "parallel-" + role);
    labels.put(CrdConstants.LABEL_PARENT, parent.getMetadata().getName());
    // Children count against the parent's client like any task: fair sharing sees the pods.
    String client = ClientQueues.clientOf(parent);
    if (!client.isEmpty()) {
      labels.put(CrdConstants.LABEL_CLIENT, client);
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    Map<String, String> parentAnnotations = parent.getMetadata().getAnnotations();
    if (parentAnnotations != null
        && parentAnnotations.containsKey(CrdConstants.ANNOTATION_SUBMITTED)) {
      // Among the client's waiting tasks, children start when their parent was submitted.
      annotations.put(
          CrdConstants.ANNOTATION_SUBMITTED,
          parentAnnotations.get(CrdConstants.ANNOTATION_SUBMITTED));
    }
    FfmpegTask task = new FfmpegTask();
    task.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(parent.getMetadata().getNamespace())
            .withLabels(labels)
            .withAnnotations(annotations)
            .withOwnerReferences(WorkerJobFactory.ownerReference(parent))
            .build());
    task.setSpec(spec);
    return task;
  }
}
