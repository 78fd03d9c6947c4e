package io.ffmpegoperator.bridge.library;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.bridge.store.VideoStore;
import io.ffmpegoperator.crds.EncodeInfo;
import io.ffmpegoperator.crds.TrimInfo;
import io.ffmpegoperator.crds.TrimMode;
import io.ffmpegoperator.crds.Video;
import io.ffmpegoperator.crds.VideoJobSpec;
import io.ffmpegoperator.crds.VideoOperation;
import io.ffmpegoperator.media.MediaInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a trim, concat or encode request against the videos it names and turns it into the spec of
 * a held VideoJob: everything the operator would trip over is refused here, before any resource
 * exists.
 */
final class VideoJobPlanner {
  static final int MAX_REQUEST_CODE_LENGTH = 256;
  static final int MAX_WIDTH = 7680;
  static final int MAX_HEIGHT = 4320;
  static final int MAX_FRAME_RATE = 120;

  private static final Pattern RESOLUTION = Pattern.compile("(\\d{1,5}):(\\d{1,5})");

  private final VideoStore videos;
  private final Supplier<EncoderCatalog> encoders;

  VideoJobPlanner(VideoStore videos, Supplier<EncoderCatalog> encoders) {
    this.videos = videos;
    this.encoders = encoders;
  }

  VideoJobSpec trim(TrimRequest request) {
    checkRequestCode(request.requestCode());
    long start;
    long end;
    try {
      start = TrimTimes.parseMillis("trim_start", request.trimStart());
      end = TrimTimes.parseMillis("trim_end", request.trimEnd());
    } catch (IllegalArgumentException e) {
      throw ApiException.detail(400, e.getMessage());
    }
    if (end <= start) {
      throw ApiException.detail(400, "trim_end must be after trim_start");
    }
    TrimMode mode = trimMode(request.mode());
    Video video = video(request.videoId());
    Long duration = media(video).getDurationMillis();
    if (duration != null && start >= duration) {
      throw ApiException.detail(
          400,
          "trim_start ("
              + start
              + " ms) is not before the end of video "
              + request.videoId()
              + " ("
              + duration
              + " ms)");
    }
    TrimInfo trim = new TrimInfo();
    trim.setTrimStart(start);
    trim.setTrimEnd(end);
    trim.setMode(mode);
    VideoJobSpec spec =
        spec(request.requestCode(), VideoOperation.Trim, List.of(request.videoId()));
    spec.setTrim(trim);
    return spec;
  }

  VideoJobSpec concat(ConcatRequest request) {
    checkRequestCode(request.requestCode());
    List<Long> ids = request.videoIds();
    Set<Long> unknown = new LinkedHashSet<>();
    List<MediaInfo> media = new ArrayList<>();
    for (long id : ids) {
      videos.find(id).ifPresentOrElse(v -> media.add(media(v)), () -> unknown.add(id));
    }
    if (!unknown.isEmpty()) {
      throw ApiException.detail(
          404,
          "Video not found: "
              + unknown.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    }
    if (ids.size() < 2) {
      throw ApiException.detail(400, "Concat needs at least 2 video_ids");
    }
    MediaInfo first = media.get(0);
    for (int i = 1; i < media.size(); i++) {
      MediaInfo other = media.get(i);
      String differs = difference(first, other);
      if (differs != null) {
        throw ApiException.detail(
            400,
            "Videos "
                + ids.get(0)
                + " and "
                + ids.get(i)
                + " differ in "
                + differs
                + " ("
                + describe(first)
                + " vs "
                + describe(other)
                + "); concat needs the same codecs, resolution and frame rate");
      }
    }
    return spec(request.requestCode(), VideoOperation.Concat, ids);
  }

  VideoJobSpec encode(EncodeRequest request) {
    checkRequestCode(request.requestCode());
    EncoderCatalog catalog = encoders.get();
    EncoderCatalog.Encoder videoEncoder =
        encoderOf(catalog, request.videoCodec(), EncoderCatalog.Kind.VIDEO);
    EncoderCatalog.Encoder audioEncoder =
        encoderOf(catalog, request.audioCodec(), EncoderCatalog.Kind.AUDIO);
    String videoCodec = videoEncoder.codec();
    String audioCodec = audioEncoder.codec();
    String resolution = resolution(request.resolution());
    if (request.frameRate() < 1 || request.frameRate() > MAX_FRAME_RATE) {
      throw ApiException.detail(
          400, "frame_rate must be 1 to " + MAX_FRAME_RATE + ", got " + request.frameRate());
    }
    int frameRate = request.frameRate().intValue();
    MediaInfo media = media(video(request.videoId()));
    // Without audio in the source the audio codec changes nothing in the output.
    boolean sameAudio = media.getAudioCodec() == null || audioCodec.equals(media.getAudioCodec());
    if (videoCodec.equals(media.getVideoCodec())
        && sameAudio
        && resolution.equals(media.resolution())
        && Integer.valueOf(frameRate).equals(media.roundedFrameRate())) {
      throw ApiException.detail(
          400,
          "Video "
              + request.videoId()
              + " is already encoded as requested ("
              + describe(media)
              + ")");
    }
    EncodeInfo encode = new EncodeInfo();
    encode.setVideoCodec(request.videoCodec());
    encode.setAudioCodec(request.audioCodec());
    // Kept in the job so the operator runs the encoder that was checked here.
    encode.setVideoEncoder(videoEncoder.name());
    encode.setAudioEncoder(audioEncoder.name());
    encode.setResolution(resolution);
    encode.setFrameRate(frameRate);
    VideoJobSpec spec =
        spec(request.requestCode(), VideoOperation.Encode, List.of(request.videoId()));
    spec.setEncode(encode);
    return spec;
  }

  /**
   * What keeps two videos from being joined, or null. The operator joins by stream copy, so codecs
   * and frame size must match; frame rates are compared as the API shows them (rounded), since
   * ffprobe's averages of the same camera's clips differ in the last digits.
   */
  static String difference(MediaInfo a, MediaInfo b) {
    if (!Objects.equals(a.getVideoCodec(), b.getVideoCodec())) {
      return "video codec";
    }
    if (!Objects.equals(a.resolution(), b.resolution())) {
      return "resolution";
    }
    if (!Objects.equals(a.roundedFrameRate(), b.roundedFrameRate())) {
      return "frame rate";
    }
    // A stream copy cannot join a part with audio to one without.
    if (!Objects.equals(a.getAudioCodec(), b.getAudioCodec())) {
      return "audio codec";
    }
    return null;
  }

  static void checkRequestCode(String requestCode) {
    if (requestCode.isBlank() || requestCode.length() > MAX_REQUEST_CODE_LENGTH) {
      throw ApiException.detail(
          400, "request_code must be 1 to " + MAX_REQUEST_CODE_LENGTH + " characters");
    }
  }

  private static TrimMode trimMode(String mode) {
    if (mode == null) {
      return TrimMode.Accurate;
    }
    return switch (mode.strip().toLowerCase(Locale.ROOT)) {
      case "accurate" -> TrimMode.Accurate;
      case "fast" -> TrimMode.Fast;
      default ->
          throw ApiException.detail(400, "mode must be 'accurate' or 'fast', got '" + mode + "'");
    };
  }

  /**
   * The encoder a request's codec field names: the encoder of that name, or else the usual encoder
   * of the codec of that name ({@code h264} is run as libx264), as ffmpeg's own {@code -c:v h264}
   * would resolve it, but never to an experimental one.
   */
  static EncoderCatalog.Encoder encoderOf(
      EncoderCatalog catalog, String name, EncoderCatalog.Kind kind) {
    String field = kind == EncoderCatalog.Kind.VIDEO ? "video_codec" : "audio_codec";
    Optional<EncoderCatalog.Encoder> named = catalog.find(name);
    if (named.isPresent() && named.get().kind() == kind && !named.get().experimental()) {
      return named.get();
    }
    Optional<EncoderCatalog.Encoder> ofCodec = catalog.forCodec(name, kind);
    if (ofCodec.isPresent()) {
      return ofCodec.get();
    }
    boolean otherKind =
        named.isPresent()
            ? named.get().kind() != kind
            : Arrays.stream(EncoderCatalog.Kind.values())
                .anyMatch(k -> k != kind && catalog.forCodec(name, k).isPresent());
    if (named.isEmpty() && !otherKind) {
      throw ApiException.detail(
          400,
          "Invalid "
              + field
              + ": '"
              + name
              + "' is not an encoder of FFmpeg, nor a codec it can encode");
    }
    if (otherKind) {
      throw ApiException.detail(
          400,
          "Invalid "
              + field
              + ": '"
              + name
              + (kind == EncoderCatalog.Kind.AUDIO
                  ? "' is not an audio encoder"
                  : "' is not a video encoder"));
    }
    throw ApiException.detail(
        400, "Invalid " + field + ": '" + name + "' is an experimental encoder");
  }

  private static String resolution(String resolution) {
    Matcher m = RESOLUTION.matcher(resolution.strip());
    if (m.matches()) {
      int width = Integer.parseInt(m.group(1));
      int height = Integer.parseInt(m.group(2));
      // Portrait frames are fine: the limit is on the long and the short side.
      if (width > 0
          && height > 0
          && width % 2 == 0
          && height % 2 == 0
          && Math.max(width, height) <= MAX_WIDTH
          && Math.min(width, height) <= MAX_HEIGHT) {
        return width + ":" + height;
      }
    }
    throw ApiException.detail(
        400,
        "Invalid resolution: '"
            + resolution
            + "'; use W:H with positive even numbers up to "
            + MAX_WIDTH
            + ":"
            + MAX_HEIGHT);
  }

  private Video video(long id) {
    return videos.find(id).orElseThrow(() -> ApiException.detail(404, "Video not found"));
  }

  private static MediaInfo media(Video video) {
    MediaInfo media = video.getSpec().getMedia();
    if (media == null || media.getVideoCodec() == null) {
      throw ApiException.detail(
          500, "The media information of video " + video.getSpec().getId() + " is unreadable");
    }
    return media;
  }

  private static String describe(MediaInfo media) {
    return media.getVideoCodec()
        + " "
        + media.resolution()
        + " "
        + media.roundedFrameRate()
        + " fps, audio "
        + (media.getAudioCodec() == null ? "none" : media.getAudioCodec());
  }

  private static VideoJobSpec spec(String requestCode, VideoOperation operation, List<Long> ids) {
    VideoJobSpec spec = new VideoJobSpec();
    spec.setRequestCode(requestCode);
    spec.setOperation(operation);
    spec.setVideoIds(new ArrayList<>(ids));
    return spec;
  }
}
