package io.ffmpegoperator.bridge.library;

import io.ffmpegoperator.bridge.http.ApiException;
import io.ffmpegoperator.media.FfmpegBinaries;
import io.ffmpegoperator.media.Ffprobe;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's use of ffmpeg: ffprobe for uploads, the encoder list for encodes, and the health
 * check. The encoder list is read once; if ffmpeg could not run at start, it is tried again when an
 * encode needs it, so a bridge started before ffmpeg was reachable heals without a restart.
 */
public final class MediaTools {
  private static final Logger LOG = LoggerFactory.getLogger(MediaTools.class);

  private final FfmpegBinaries binaries;
  private final Ffprobe ffprobe;
  private EncoderCatalog encoders;

  public MediaTools(FfmpegBinaries binaries) {
    this.binaries = binaries;
    this.ffprobe = new Ffprobe(binaries);
    loadEncoders();
  }

  Ffprobe ffprobe() {
    return ffprobe;
  }

  public boolean ffmpegInstalled() {
    return binaries.ffmpegInstalled();
  }

  /** The encoders of this ffmpeg; 503 if it cannot be run. */
  synchronized EncoderCatalog encoders() {
    if (encoders == null && !loadEncoders()) {
      throw ApiException.detail(
          503, "ffmpeg is not available to check the codecs; try again later");
    }
    return encoders;
  }

  private synchronized boolean loadEncoders() {
    try {
      encoders = EncoderCatalog.load(binaries.ffmpeg());
      LOG.info("{} has {} usable encoders", binaries.ffmpeg(), encoders.size());
      return true;
    } catch (IOException e) {
      LOG.warn("Could not list the encoders of {}: {}", binaries.ffmpeg(), e.getMessage());
      return false;
    }
  }
}
