package io.ffmpegoperator.dev.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * One pod log request, on the blocking side: the checks the API server and the kubelet make, the
 * text so far, then (following) what the node's files gained since. Every method reads the store or
 * files, so it runs off the event loop.
 *
 * <p>The node keeps stdout and stderr in two files without a time per line. So the text is stdout's
 * lines, then stderr's; a line's time is its file's last modification for what was there at the
 * request, and when it was read for what came later (within one poll). {@code sinceSeconds}, {@code
 * sinceTime} and {@code timestamps} use those times.
 */
final class PodLogStream {

  private static final ObjectMapper JSON = new ObjectMapper();

  // A log is text for people; beyond this much of each file, only the end is read at first.
  static final int MAX_INITIAL_BYTES = 8 << 20;

  private final PersistentCrudDispatcher crud;
  // The request's path: reads of it go to the pod itself (itemPath drops the subresource).
  private final ResourcePath pod;
  private final String container;
  private final PodLogOptions options;
  private final Clock clock;
  private final List<LogFile> files;
  private long bytesLeft;
  private boolean done;

  private PodLogStream(
      PersistentCrudDispatcher crud,
      ResourcePath pod,
      String container,
      PodLogOptions options,
      Clock clock,
      List<Path> paths) {
    this.crud = crud;
    this.pod = pod;
    this.container = container;
    this.options = options;
    this.clock = clock;
    this.files = paths.stream().map(LogFile::new).toList();
    this.bytesLeft = options.limitBytes() == null ? Long.MAX_VALUE : options.limitBytes();
  }

  /** A stream to answer with, or the API server's refusal. */
  record Opened(PodLogStream stream, byte[] text, MockResponse refusal) {}

  /**
   * Checks the request as the API server and the kubelet would and reads the text there is now.
   *
   * @param path the request's path ({@code .../pods/<name>/log})
   */
  static Opened open(
      PersistentCrudDispatcher crud,
      PodLogFiles logFiles,
      ResourcePath path,
      Map<String, String> query,
      Clock clock) {
    PodLogOptions.Parsed parsed = PodLogOptions.parse(query, path.name(), clock.instant());
    if (parsed.refused().isPresent()) {
      return refused(parsed.refusal());
    }
    PodLogOptions options = parsed.options();
    JsonNode pod = read(crud, path);
    if (pod == null) {
      return refused(ApiStatus.notFound(path));
    }
    List<String> names = containerNames(pod);
    String container = options.container();
    if (container == null) {
      if (names.size() != 1) {
        return badRequest(
            names.isEmpty()
                ? "a container name must be specified for pod " + path.name()
                : "a container name must be specified for pod "
                    + path.name()
                    + ", choose one of: ["
                    + String.join(" ", names)
                    + "]");
      }
      container = names.get(0);
    } else if (!names.contains(container)) {
      return badRequest("container " + container + " is not valid for pod " + path.name());
    }
    if (pod.path("spec").path("nodeName").asText().isEmpty()) {
      return badRequest("pod " + path.name() + " does not have a host assigned");
    }
    // The kubelet's checks of the container's state (validateContainerLogStatus).
    String quoted = "container \"" + container + "\" in pod \"" + path.name() + "\"";
    JsonNode status = containerStatus(pod, container);
    if (options.previous()) {
      // restartPolicy Never, and the node keeps no earlier container's output.
      return badRequest("previous terminated " + quoted + " not found");
    }
    JsonNode state = status == null ? null : status.path("state");
    if (state == null || (!state.has("running") && !state.has("terminated"))) {
      String reason =
          state == null
              ? "ContainerCreating"
              : state.path("waiting").path("reason").asText("ContainerCreating");
      return badRequest(
          quoted
              + " is waiting to start: "
              + switch (reason) {
                case "ErrImagePull" -> "image can't be pulled";
                case "ImagePullBackOff" -> "trying and failing to pull image";
                default -> reason;
              });
    }
    PodLogStream stream =
        new PodLogStream(
            crud,
            path,
            container,
            options,
            clock,
            logFiles.files(path.namespace(), path.name(), container));
    boolean terminated = state.has("terminated");
    byte[] text = stream.initial(!options.follow() || terminated);
    stream.done |= !options.follow() || terminated;
    return new Opened(stream, text, null);
  }

  /** Whether the answer is complete: nothing more will be sent. */
  boolean done() {
    return done;
  }

  /**
   * What the files gained since the last read, in whole lines until the container has ended; once
   * it has (or the pod is gone, or the byte limit is reached) the rest, and {@link #done()}.
   */
  byte[] poll() {
    // The pod first: once it says terminated, everything the container wrote is in the files.
    JsonNode pod = read(crud, this.pod);
    if (pod == null) {
      done = true;
      return new byte[0];
    }
    JsonNode status = containerStatus(pod, container);
    boolean ended = status != null && status.path("state").has("terminated");
    Instant now = clock.instant();
    List<LogText.Line> lines = new ArrayList<>();
    for (LogFile file : files) {
      lines.addAll(LogText.lines(file.readOn(!ended), now));
    }
    byte[] text =
        limited(LogText.render(LogText.since(lines, options.since()), options.timestamps()));
    done |= ended && files.stream().allMatch(LogFile::drained);
    return text;
  }

  private byte[] initial(boolean everything) {
    List<LogText.Line> lines = new ArrayList<>();
    for (LogFile file : files) {
      Instant written = file.lastModified();
      lines.addAll(LogText.lines(file.readEnd(!everything), written));
    }
    List<LogText.Line> cut =
        LogText.since(LogText.tail(lines, options.tailLines()), options.since());
    return limited(LogText.render(cut, options.timestamps()));
  }

  /** {@code text} cut to the bytes the limit leaves; done once it is reached. */
  private byte[] limited(byte[] text) {
    if (text.length < bytesLeft) {
      bytesLeft -= text.length;
      return text;
    }
    byte[] cut = new byte[(int) bytesLeft];
    System.arraycopy(text, 0, cut, 0, cut.length);
    bytesLeft = 0;
    done = true;
    return cut;
  }

  private static JsonNode read(PersistentCrudDispatcher crud, ResourcePath path) {
    MockResponse response = crud.handleGet(path.itemPath());
    if (response.code() != 200 || response.getBody() == null) {
      return null;
    }
    try {
      return JSON.readTree(response.getBody().getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> containerNames(JsonNode pod) {
    return StreamSupport.stream(pod.path("spec").path("containers").spliterator(), false)
        .map(c -> c.path("name").asText())
        .toList();
  }

  private static JsonNode containerStatus(JsonNode pod, String container) {
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (container.equals(status.path("name").asText())) {
        return status;
      }
    }
    return null;
  }

  private static Opened refused(MockResponse refusal) {
    return new Opened(null, null, refusal);
  }

  private static Opened badRequest(String message) {
    return refused(ApiStatus.failure(400, "BadRequest", message));
  }

  /** One file of the container's output, read on from where the last read stopped. */
  private static final class LogFile {
    private final Path path;
    private long offset;
    private boolean drained;

    LogFile(Path path) {
      this.path = path;
    }

    Instant lastModified() {
      try {
        return Files.getLastModifiedTime(path).toInstant();
      } catch (IOException e) {
        return Instant.EPOCH;
      }
    }

    /**
     * The end of what is written, at most the last {@code MAX_INITIAL_BYTES} from a line's start;
     * only up to the last line end when {@code wholeLines}, the rest being read next time.
     */
    byte[] readEnd(boolean wholeLines) {
      return read(wholeLines, true);
    }

    /**
     * What was written since the last read, at most {@code MAX_INITIAL_BYTES} of it (the rest is
     * read next time), in whole lines when {@code wholeLines}.
     */
    byte[] readOn(boolean wholeLines) {
      return read(wholeLines, false);
    }

    /** Whether the last read reached the end of the file. */
    boolean drained() {
      return drained;
    }

    private byte[] read(boolean wholeLines, boolean skipToEnd) {
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        long size = channel.size();
        if (size < offset) {
          // Truncated: a new container started writing it.
          offset = 0;
        }
        long from = offset;
        boolean skipPartial = skipToEnd && size - from > MAX_INITIAL_BYTES;
        if (skipPartial) {
          from = size - MAX_INITIAL_BYTES;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - from, MAX_INITIAL_BYTES));
        while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
          // read on
        }
        byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        int start = 0;
        if (skipPartial) {
          // Begin at a line's start, as a tail of the file would.
          while (start < bytes.length && bytes[start] != '\n') {
            start++;
          }
          start = Math.min(start + 1, bytes.length);
        }
        int end = bytes.length;
        if (wholeLines) {
          int lineEnd = startOfPartial(bytes, start);
          // A line longer than a whole read goes out in parts rather than never.
          end = lineEnd > start || bytes.length < MAX_INITIAL_BYTES ? lineEnd : bytes.length;
        }
        offset = from + end;
        drained = offset >= size;
        byte[] read = new byte[end - start];
        System.arraycopy(bytes, start, read, 0, read.length);
        return read;
      } catch (NoSuchFileException e) {
        drained = true;
        return new byte[0];
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static int startOfPartial(byte[] bytes, int from) {
      for (int i = bytes.length - 1; i >= from; i--) {
        if (bytes[i] == '\n') {
          return i + 1;
        }
      }
      return from;
    }
  }
}
