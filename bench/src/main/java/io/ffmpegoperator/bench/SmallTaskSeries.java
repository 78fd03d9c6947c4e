package io.ffmpegoperator.bench;

import io.ffmpegoperator.dev.stack.EmbeddedStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Item 2's small tasks one after another, each measured step by step: the bench's own watches on
 * its task, Job and pod ({@link Lifecycle}) and its worker pod's log ({@link WorkerLog}). What the
 * watches and logs could not tell is added to the findings.
 */
final class SmallTaskSeries {
  private SmallTaskSeries() {}

  static List<SmallTask> run(BenchContext bench, int count) throws Exception {
    EmbeddedStack stack = bench.stack();
    ApiClient api = bench.api();
    WarmPool pool = bench.warmPool();
    String input = bench.tinyInput();
    String command = BenchContext.SMALL_COMMAND;
    List<SmallTask> tasks = new ArrayList<>();
    int disagreements = 0;
    int missingLogs = 0;
    List<String> jvmStdout = new ArrayList<>();
    try (Lifecycle life = new Lifecycle(stack.kubernetesClient(), stack.config().namespace())) {
      Thread.sleep(500); // let the watches open before the first task
      pool.awaitReady();
      for (int i = 0; i < count; i++) {
        double t = Clock.nowMs();
        String id = api.register(command, input, "out.mp4");
        double answered = Clock.nowMs();
        api.awaitCompleted(id, bench.finishes(), Duration.ofMinutes(2));
        double done = Clock.nowMs();
        Thread.sleep(100); // the last watch events may trail the REST answer by a little
        String jobName = pool.jobNameOf(id);
        String claimedSeen = life.claimedJob(id);
        if (jobName == null) {
          jobName = claimedSeen != null ? claimedSeen : "fft-" + id;
        }
        boolean warm = WarmPool.ranOnWarmWorker(id, jobName);
        if (warm != (claimedSeen != null)) {
          disagreements++;
          Log.line(
              "   task "
                  + id
                  + ": status.jobName is "
                  + jobName
                  + " but the Job watch saw "
                  + (claimedSeen == null ? "no claim" : "a claim of " + claimedSeen));
        }
        WorkerLog workerLog = WorkerLog.of(stack.config().home(), jobName).orElse(null);
        if (workerLog == null || warm != workerLog.warm()) {
          missingLogs++;
          if (missingLogs <= 3) {
            Log.line(
                "   task "
                    + id
                    + ": no "
                    + (warm ? "warm " : "")
                    + "worker log that says it all for Job "
                    + jobName
                    + ": "
                    + WorkerLog.whyMissing(stack.config().home(), jobName));
          }
        }
        if (workerLog != null && !workerLog.stdout().isEmpty()) {
          jvmStdout.add(workerLog.stdout());
        }
        tasks.add(SmallTask.of(id, warm, t, answered, done, life.of(id), workerLog));
      }
    }
    if (disagreements > 0) {
      bench.finding(
          disagreements
              + " small task(s) named a Job in their status that the bench's Job watch did not see"
              + " claimed (or the reverse); their path was taken from status.jobName.");
    }
    if (missingLogs > 0) {
      bench.finding(
          missingLogs
              + " of "
              + tasks.size()
              + " small tasks left no worker log the bench could read; the steps inside their"
              + " worker are missing from the tables (see N).");
    }
    if (!jvmStdout.isEmpty()) {
      // The worker logs to stderr: what is on stdout is the JVM's, e.g. a class archive made for
      // jars that were rebuilt since (the JVM then starts without it, and slower).
      bench.finding(
          String.format(
              Locale.ROOT,
              "%d of %d small tasks ran in a worker JVM that wrote to stdout, so their numbers may"
                  + " not be this build's: `%s`. A class archive that fails to load means the"
                  + " worker's jars changed after the stack started (a build during the bench);"
                  + " run it again.",
              jvmStdout.size(),
              tasks.size(),
              jvmStdout.get(0).replace('`', '\'')));
    }
    return tasks;
  }
}
