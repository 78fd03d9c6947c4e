package io.ffmpegoperator.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts {@code -f <demuxer>} before each {@code -i} that reads a probed input, so ffmpeg opens the
 * file with the demuxer it was checked for and never guesses again from its content or name.
 */
final class ForcedDemuxers {
  private ForcedDemuxers() {}

  /**
   * {@code args} with {@code -f <demuxer>} right before every {@code -i <path>} whose path is a key
   * of {@code demuxerByPath} (compared exactly). Being the last {@code -f} before that {@code -i},
   * it overrides any the command gave.
   */
  static List<String> apply(List<String> args, Map<String, String> demuxerByPath) {
    List<String> forced = new ArrayList<>(args.size() + 2 * demuxerByPath.size());
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("-i") && i + 1 < args.size()) {
        String demuxer = demuxerByPath.get(args.get(i + 1));
        if (demuxer != null) {
          forced.add("-f");
          forced.add(demuxer);
        }
      }
      forced.add(arg);
    }
    return forced;
  }
}
