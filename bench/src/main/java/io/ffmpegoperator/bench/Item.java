package io.ffmpegoperator.bench;

/**
 * One measured item of the report. The runner measures each on its own: one that fails is reported
 * as not measured, and the others still run.
 */
interface Item {
  /**
   * Measures the item; returns its section of the report (Markdown, heading included) and adds its
   * findings to {@code bench}'s.
   */
  String run(BenchContext bench) throws Exception;
}
