package io.ffmpegoperator.operator;

import io.ffmpegoperator.crds.FfmpegTask;
import io.ffmpegoperator.crds.TaskParallel;
import io.ffmpegoperator.policy.ParallelPolicy;
import io.ffmpegoperator.storage.S3Storage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments of each parallel task, planned from its probe child's packet listing: read from S3
 * once per parent and kept until the parent ends, since every reconcile of the segment phase needs
 * them.
 */
final class ParallelPlans {
  static final String REASON_FEWER_SEGMENTS = "FewerSegments";

  private static final Logger LOG = LoggerFactory.getLogger(ParallelPlans.class);

  /** What the probe said: the segments, and whether the input has audio. */
  record Plan(List<SegmentPlan.Segment> segments, boolean audio) {}

  private final S3Storage storage;
  private final ParallelPolicy policy;
  private final ResourceEvents events;

  /** By parent uid: a parent deleted and made again under its name plans anew. */
  private final Map<String, Plan> plans = new ConcurrentHashMap<>();

  ParallelPlans(S3Storage storage, ParallelPolicy policy, ResourceEvents events) {
    this.storage = storage;
    this.policy = policy;
    this.events = events;
  }

  /**
   * The parent's plan, read from its completed probe child's listing the first time.
   *
   * @throws IllegalArgumentException when the listing is gone or cannot be planned
   */
  Plan of(FfmpegTask parent, FfmpegTask probe) {
    return plans.computeIfAbsent(parent.getMetadata().getUid(), uid -> read(parent, probe));
  }

  /** Drops the parent's plan: it has ended, or gone. */
  void forget(FfmpegTask parent) {
    plans.remove(parent.getMetadata().getUid());
  }

  private Plan read(FfmpegTask parent, FfmpegTask probe) {
    String key = probe.getStatus().getOutputs().get(0).getKey();
    String listing =
        storage
            .readText(key)
            .orElseThrow(() -> new IllegalArgumentException("the probe's listing is gone"));
    // The planner reads the video's packets (stream 0); audio packets (stream 1) only say there
    // is audio.
    String video =
        listing
            .lines()
            .filter(l -> l.startsWith("0,") || (l.startsWith("#") && !l.matches("#\\w+ 1:.*")))
            .collect(Collectors.joining("\n"));
    boolean audio = listing.lines().anyMatch(l -> l.startsWith("1,"));
    SegmentPlan segments = SegmentPlan.fromFramecrc(video);
    TaskParallel parallel = parent.getSpec().getParallel();
    List<SegmentPlan.Segment> planned =
        parallel.getSegments() != null
            ? segments.split(parallel.getSegments())
            : segments.splitEvery(parallel.getSegmentSeconds());
    if (planned.size() > policy.maxSegments()) {
      // Seconds that would cut more segments than allowed cut the most allowed instead.
      planned = segments.split(policy.maxSegments());
    }
    Integer asked = parallel.getSegments();
    if (asked != null && planned.size() < asked) {
      // Segments start on keyframes; an input with few of them cannot be cut finer.
      events.normal(
          parent,
          REASON_FEWER_SEGMENTS,
          "Planned "
              + planned.size()
              + " segment(s), not "
              + asked
              + ": the input has "
              + segments.keyframeCount()
              + " keyframe(s) to start a segment on");
    }
    // The frames of each segment say where the seams are, for a look at the output around them.
    LOG.info(
        "Parallel task {}: {} frames in {} segment(s) of {} frames{}",
        parent.getMetadata().getName(),
        segments.frameCount(),
        planned.size(),
        planned.stream().map(s -> Long.toString(s.frames())).collect(Collectors.joining(", ")),
        audio ? ", and audio" : "");
    return new Plan(planned, audio);
  }
}
