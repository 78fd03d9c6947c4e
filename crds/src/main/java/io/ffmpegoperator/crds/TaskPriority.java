package io.ffmpegoperator.crds;

/**
 * The order in which a client's tasks start when it has more than its limit of running tasks:
 * higher first, then the earlier submitted. It orders one client's tasks only, never one client's
 * against another's.
 */
public enum TaskPriority {
  High,
  Normal,
  Low
}
