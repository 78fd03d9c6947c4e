package io.ffmpegoperator.policy;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The filters a task's filter graphs may use, and per filter the options it may set ({@link
 * FilterGraphPolicy} applies them). A filter that is not here is refused; adding one means reading
 * its options in ffmpeg's documentation for anything that opens a file or a URL, loads code, or
 * runs without end, and, if it takes more than one input, counting them in {@link #inputs}.
 */
final class FilterAllowList {
  /**
   * What a filter may be given.
   *
   * @param positional most arguments without a key
   * @param keys option names it may set by name
   * @param source true for filters that make frames from nothing; they need a duration
   */
  record Rule(int positional, Set<String> keys, boolean source) {
    static Rule of(int positional, String... keys) {
      return new Rule(positional, Set.of(keys), false);
    }

    static Rule source(String... keys) {
      return new Rule(1, Set.of(keys), true);
    }
  }

  static final Map<String, Rule> FILTERS =
      Map.ofEntries(
          Map.entry(
              "scale",
              Rule.of(
                  2,
                  "w",
                  "h",
                  "width",
                  "height",
                  "flags",
                  "interl",
                  "in_range",
                  "out_range",
                  "in_color_matrix",
                  "out_color_matrix",
                  "force_original_aspect_ratio",
                  "force_divisible_by",
                  "eval",
                  "reset_sar")),
          Map.entry(
              "crop", Rule.of(4, "w", "h", "x", "y", "out_w", "out_h", "keep_aspect", "exact")),
          Map.entry("pad", Rule.of(5, "w", "h", "x", "y", "color", "width", "height", "aspect")),
          Map.entry("fps", Rule.of(2, "fps", "start_time", "round", "eof_action")),
          Map.entry("framerate", Rule.of(1, "fps", "interp_start", "interp_end", "scene")),
          Map.entry("format", Rule.of(1, "pix_fmts")),
          Map.entry(
              "aformat",
              Rule.of(1, "sample_fmts", "sample_rates", "channel_layouts", "f", "r", "cl")),
          Map.entry("setsar", Rule.of(2, "r", "ratio", "sar", "max")),
          Map.entry("setdar", Rule.of(2, "r", "ratio", "dar", "max")),
          Map.entry(
              "trim",
              Rule.of(
                  2,
                  "start",
                  "end",
                  "start_pts",
                  "end_pts",
                  "duration",
                  "start_frame",
                  "end_frame")),
          Map.entry(
              "atrim",
              Rule.of(
                  2,
                  "start",
                  "end",
                  "start_pts",
                  "end_pts",
                  "duration",
                  "start_sample",
                  "end_sample")),
          Map.entry("setpts", Rule.of(1, "expr")),
          Map.entry("asetpts", Rule.of(1, "expr")),
          Map.entry("settb", Rule.of(1, "expr", "tb")),
          Map.entry("asettb", Rule.of(1, "expr", "tb")),
          Map.entry("transpose", Rule.of(1, "dir", "passthrough")),
          Map.entry("hflip", Rule.of(0)),
          Map.entry("vflip", Rule.of(0)),
          Map.entry(
              "rotate",
              Rule.of(1, "angle", "a", "out_w", "ow", "out_h", "oh", "bilinear", "fillcolor", "c")),
          Map.entry(
              "overlay",
              Rule.of(2, "x", "y", "eof_action", "eval", "shortest", "format", "repeatlast")),
          Map.entry("concat", Rule.of(0, "n", "v", "a", "unsafe")),
          Map.entry("split", Rule.of(1, "outputs")),
          Map.entry("asplit", Rule.of(1, "outputs")),
          Map.entry(
              "amix",
              Rule.of(0, "inputs", "duration", "dropout_transition", "weights", "normalize")),
          Map.entry("amerge", Rule.of(0, "inputs")),
          Map.entry("volume", Rule.of(1, "volume", "precision", "eval")),
          Map.entry(
              "aresample",
              Rule.of(1, "osr", "out_sample_rate", "async", "first_pts", "min_hard_comp")),
          Map.entry(
              "loudnorm",
              Rule.of(
                  0,
                  "I",
                  "i",
                  "TP",
                  "tp",
                  "LRA",
                  "lra",
                  "measured_I",
                  "measured_i",
                  "measured_TP",
                  "measured_tp",
                  "measured_LRA",
                  "measured_lra",
                  "measured_thresh",
                  "offset",
                  "linear",
                  "dual_mono",
                  "print_format")),
          Map.entry("dynaudnorm", Rule.of(0, "f", "g", "p", "m", "r", "n", "c", "b", "s")),
          Map.entry("atempo", Rule.of(1, "tempo")),
          Map.entry("asetrate", Rule.of(1, "sample_rate", "r")),
          Map.entry("pan", Rule.of(1)),
          Map.entry("aecho", Rule.of(4, "in_gain", "out_gain", "delays", "decays")),
          Map.entry("highpass", Rule.of(0, "f", "frequency", "p", "poles", "w", "width", "t")),
          Map.entry("lowpass", Rule.of(0, "f", "frequency", "p", "poles", "w", "width", "t")),
          Map.entry(
              "silenceremove",
              Rule.of(
                  0,
                  "start_periods",
                  "start_duration",
                  "start_threshold",
                  "stop_periods",
                  "stop_duration",
                  "stop_threshold",
                  "detection",
                  "window")),
          Map.entry("hstack", Rule.of(0, "inputs", "shortest")),
          Map.entry("vstack", Rule.of(0, "inputs", "shortest")),
          Map.entry("xstack", Rule.of(0, "inputs", "layout", "grid", "shortest", "fill")),
          Map.entry(
              "fade",
              Rule.of(
                  3,
                  "t",
                  "type",
                  "s",
                  "start_frame",
                  "n",
                  "nb_frames",
                  "st",
                  "start_time",
                  "d",
                  "duration",
                  "alpha",
                  "c",
                  "color")),
          Map.entry(
              "afade",
              Rule.of(
                  3, "t", "type", "ss", "ns", "st", "start_time", "d", "duration", "curve", "c")),
          Map.entry(
              "eq",
              Rule.of(
                  0,
                  "contrast",
                  "brightness",
                  "saturation",
                  "gamma",
                  "gamma_r",
                  "gamma_g",
                  "gamma_b",
                  "gamma_weight",
                  "eval")),
          Map.entry("hue", Rule.of(0, "h", "s", "H", "b")),
          Map.entry("unsharp", Rule.of(6, "lx", "ly", "la", "cx", "cy", "ca")),
          Map.entry(
              "boxblur",
              Rule.of(
                  6,
                  "luma_radius",
                  "lr",
                  "luma_power",
                  "lp",
                  "chroma_radius",
                  "cr",
                  "chroma_power",
                  "cp")),
          Map.entry("gblur", Rule.of(0, "sigma", "steps", "planes", "sigmaV")),
          Map.entry("yadif", Rule.of(3, "mode", "parity", "deint")),
          Map.entry("bwdif", Rule.of(3, "mode", "parity", "deint")),
          Map.entry(
              "hqdn3d", Rule.of(4, "luma_spatial", "chroma_spatial", "luma_tmp", "chroma_tmp")),
          Map.entry(
              "drawbox",
              Rule.of(6, "x", "y", "w", "h", "width", "height", "color", "c", "thickness", "t")),
          // Text only from the command: textfile=, fontfile= and font= would read local files.
          Map.entry(
              "drawtext",
              Rule.of(
                  0,
                  "text",
                  "x",
                  "y",
                  "fontsize",
                  "fontcolor",
                  "box",
                  "boxcolor",
                  "boxborderw",
                  "borderw",
                  "bordercolor",
                  "shadowx",
                  "shadowy",
                  "shadowcolor",
                  "alpha",
                  "line_spacing",
                  "fix_bounds")),
          Map.entry("select", Rule.of(1, "expr", "e", "outputs", "n")),
          Map.entry("aselect", Rule.of(1, "expr", "e", "outputs", "n")),
          Map.entry("thumbnail", Rule.of(1, "n")),
          Map.entry("tile", Rule.of(1, "layout", "nb_frames", "margin", "padding", "color")),
          Map.entry(
              "palettegen",
              Rule.of(0, "max_colors", "reserve_transparent", "transparency_color", "stats_mode")),
          // Not debug_kdtree (it writes a file), so no positional arguments either.
          Map.entry(
              "paletteuse",
              Rule.of(0, "dither", "bayer_scale", "diff_mode", "new", "alpha_threshold")),
          Map.entry("negate", Rule.of(0)),
          Map.entry("edgedetect", Rule.of(0, "low", "high", "mode")),
          Map.entry("vignette", Rule.of(0, "angle", "a", "x0", "y0", "mode", "eval", "aspect")),
          Map.entry("chromakey", Rule.of(0, "color", "similarity", "blend", "yuv")),
          Map.entry("colorkey", Rule.of(0, "color", "similarity", "blend")),
          Map.entry("zoompan", Rule.of(0, "zoom", "z", "x", "y", "d", "s", "fps")),
          Map.entry(
              "tpad",
              Rule.of(
                  0,
                  "start",
                  "start_mode",
                  "stop_mode",
                  "start_duration",
                  "stop_duration",
                  "color")),
          // Only with a length: apad alone pads forever.
          Map.entry(
              "apad", Rule.of(0, "packet_size", "pad_len", "whole_len", "pad_dur", "whole_dur")),
          Map.entry("showinfo", Rule.of(0)),
          Map.entry("null", Rule.of(0)),
          Map.entry("anull", Rule.of(0)),
          Map.entry("copy", Rule.of(0)),
          Map.entry("acopy", Rule.of(0)),
          Map.entry("reverse", Rule.of(0)),
          Map.entry("areverse", Rule.of(0)),
          Map.entry(
              "color", Rule.source("c", "color", "s", "size", "r", "rate", "d", "duration", "sar")),
          Map.entry("testsrc", Rule.source("s", "size", "r", "rate", "d", "duration", "sar")),
          Map.entry("testsrc2", Rule.source("s", "size", "r", "rate", "d", "duration", "sar")),
          Map.entry("smptebars", Rule.source("s", "size", "r", "rate", "d", "duration", "sar")),
          Map.entry("smptehdbars", Rule.source("s", "size", "r", "rate", "d", "duration", "sar")),
          Map.entry("nullsrc", Rule.source("s", "size", "r", "rate", "d", "duration", "sar")),
          Map.entry(
              "anullsrc",
              Rule.source(
                  "cl", "channel_layout", "r", "sample_rate", "n", "nb_samples", "d", "duration")),
          Map.entry(
              "sine",
              Rule.source(
                  "f",
                  "frequency",
                  "b",
                  "beep_factor",
                  "r",
                  "sample_rate",
                  "d",
                  "duration",
                  "samples_per_frame")));

  /** Options of {@code apad} that bound how long it pads; it needs one of them. */
  static final Set<String> APAD_LENGTHS = Set.of("pad_len", "whole_len", "pad_dur", "whole_dur");

  /**
   * How many inputs a filter has, given the options it was given by name; empty when they do not
   * say it plainly (an expression, an unknown filter). Sources have none, the filters named here
   * several, every other filter one.
   */
  static OptionalInt inputs(String name, Map<String, String> options) {
    Rule rule = FILTERS.get(name);
    if (rule == null) {
      return OptionalInt.empty();
    }
    if (rule.source()) {
      return OptionalInt.of(0);
    }
    return switch (name) {
      case "overlay", "paletteuse" -> OptionalInt.of(2);
      case "amix", "amerge", "hstack", "vstack", "xstack" -> count(options, "inputs", 2);
      case "concat" -> {
        // n segments, each with v video and a audio streams.
        OptionalInt n = count(options, "n", 2);
        OptionalInt v = count(options, "v", 1);
        OptionalInt a = count(options, "a", 0);
        yield n.isPresent() && v.isPresent() && a.isPresent()
            ? OptionalInt.of(n.getAsInt() * (v.getAsInt() + a.getAsInt()))
            : OptionalInt.empty();
      }
      default -> OptionalInt.of(1);
    };
  }

  private static OptionalInt count(Map<String, String> options, String key, int fallback) {
    String value = options.get(key);
    if (value == null) {
      return OptionalInt.of(fallback);
    }
    return value.matches("\\d{1,3}")
        ? OptionalInt.of(Integer.parseInt(value))
        : OptionalInt.empty();
  }

  private FilterAllowList() {}
}
