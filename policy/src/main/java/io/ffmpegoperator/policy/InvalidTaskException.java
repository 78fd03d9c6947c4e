package io.ffmpegoperator.policy;

import java.util.List;

/** A task spec that can never run; carries every problem found, each phrased for the user. */
public class InvalidTaskException extends Exception {
  private final List<String> problems;

  public InvalidTaskException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
