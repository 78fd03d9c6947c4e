package io.ffmpegoperator.protocol;

import io.ffmpegoperator.policy.AddressPolicy;
import java.util.List;

/**
 * What the operator hands a worker pod (as JSON in the {@value #ENV} environment variable): the
 * final ffmpeg arguments with local paths, where to fetch each input, and pre-signed links for
 * everything the worker writes. It carries no long-lived credential.
 *
 * @param taskId the FfmpegTask's name, for log lines only
 * @param args ffmpeg arguments (without "ffmpeg"); paths are relative to the work directory
 * @param inputs files to fetch into the work directory before ffmpeg starts
 * @param concatLists ffconcat files to write, after the fetch, listing some of the inputs
 * @param outputs files ffmpeg writes, each uploaded with an HTTP PUT to its link afterwards
 * @param reportUrl pre-signed PUT link where the worker writes its {@link WorkReport}
 * @param limits what the worker enforces on the run, whatever the command says
 * @param allowedNetworks networks inputs may reach besides public addresses, in the form {@link
 *     AddressPolicy#allowing} reads; empty in clusters
 */
public record WorkOrder(
    String taskId,
    List<String> args,
    List<Input> inputs,
    List<ConcatList> concatLists,
    List<Output> outputs,
    String reportUrl,
    RunLimits limits,
    String allowedNetworks) {

  /** Environment variable holding the JSON work order. */
  public static final String ENV = "FFMPEG_WORK_ORDER";

  /**
   * One input: placeholder name, URL to fetch (http, https) and the local path to write.
   *
   * @param storage true when the URL is a link the operator pre-signed to the platform's own
   *     storage (an {@code s3://} input); only such links skip the address policy, because the
   *     storage endpoint is often a private address
   */
  public record Input(String name, String url, String path, boolean storage) {}

  /**
   * An ffconcat file the worker writes: at {@code path}, one {@code file} line per named input, in
   * order, relative to the list's own folder (so ffmpeg's safe mode accepts them).
   */
  public record ConcatList(String name, String path, List<String> inputs) {}

  /** One output: placeholder name, local path ffmpeg writes, and its pre-signed PUT link. */
  public record Output(String name, String path, String uploadUrl) {}
}
