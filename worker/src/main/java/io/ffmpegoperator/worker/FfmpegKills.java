package io.ffmpegoperator.worker;

import io.ffmpegoperator.protocol.WorkReport.Step;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Tells apart the ways ffmpeg can end by a signal, so that what a retry may fix is retried: the
 * kernel's OOM killer (its cgroup's kill counter rose while ffmpeg ran), a signal from outside (a
 * node drain, an administrator), or a crash of ffmpeg's own, which the same input repeats.
 */
final class FfmpegKills {
  /** The standard signals, in Linux's order (x86 and arm): signal n is at index n - 1. */
  private static final List<String> NAMES =
      List.of(
          ("SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV"
                  + " SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP"
                  + " SIGTTIN SIGTTOU SIGURG SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR"
                  + " SIGSYS")
              .split(" "));

  /**
   * Signals a process gets from its own fault (a bad instruction, address or syscall, an abort):
   * ffmpeg crashed on this input, and would again.
   */
  private static final Set<String> CRASHES =
      Set.of("SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGSEGV", "SIGSYS");

  private FfmpegKills() {}

  /**
   * The signal that ended a process with this exit value (128 plus the signal, as {@link
   * Process#waitFor} gives it), or 0 if it exited. Only the standard signals count: ffmpeg 7 exits
   * with the low byte of its negative error code (254 for a missing file, 183 for invalid data),
   * and the codes that fall among the standard signals are network errors, which a worker's ffmpeg,
   * with no network input, does not meet.
   */
  static int signal(int exitValue) {
    int signal = exitValue - 128;
    return signal >= 1 && signal <= NAMES.size() ? signal : 0;
  }

  /**
   * Why ffmpeg, ended by {@code signal}, failed: out of memory when the cgroup's OOM kill counter
   * rose from {@code oomKillsBefore} (read before ffmpeg started) to {@code oomKillsAfter}; a crash
   * (not retried); else killed from outside (retried).
   */
  static StepFailedException failure(
      int signal, OptionalLong oomKillsBefore, OptionalLong oomKillsAfter, MemoryCgroup cgroup) {
    boolean oomKilled =
        oomKillsBefore.isPresent()
            && oomKillsAfter.isPresent()
            && oomKillsAfter.getAsLong() > oomKillsBefore.getAsLong();
    if (oomKilled) {
      return new StepFailedException(Step.OutOfMemory, cgroup.outOfMemoryMessage());
    }
    String name = NAMES.get(signal - 1);
    if (CRASHES.contains(name)) {
      return new StepFailedException(
          Step.Ffmpeg, "ffmpeg crashed (signal " + signal + ", " + name + ")");
    }
    return new StepFailedException(
        Step.Killed, "ffmpeg was killed by signal " + signal + " (" + name + ")");
  }
}
