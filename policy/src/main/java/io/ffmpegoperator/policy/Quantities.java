package io.ffmpegoperator.policy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes quantities ({@code 500m}, {@code 2}, {@code 1.5Gi}, {@code 1e3}) read as the API
 * server reads them: a signed decimal number and one binary-SI, decimal-SI or exponent suffix.
 * Written here because nothing on this module's classpath reads them.
 */
final class Quantities {
  // The exponent is bounded so that no text can ask BigDecimal for an absurd scale.
  private static final Pattern QUANTITY =
      Pattern.compile(
          "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))"
              + "(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]{1,3})?");

  private static final Map<String, BigDecimal> MULTIPLES =
      Map.ofEntries(
          Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
          Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
          Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
          Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
          Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
          Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
          Map.entry("n", BigDecimal.ONE.scaleByPowerOfTen(-9)),
          Map.entry("u", BigDecimal.ONE.scaleByPowerOfTen(-6)),
          Map.entry("m", BigDecimal.ONE.scaleByPowerOfTen(-3)),
          Map.entry("k", BigDecimal.ONE.scaleByPowerOfTen(3)),
          Map.entry("M", BigDecimal.ONE.scaleByPowerOfTen(6)),
          Map.entry("G", BigDecimal.ONE.scaleByPowerOfTen(9)),
          Map.entry("T", BigDecimal.ONE.scaleByPowerOfTen(12)),
          Map.entry("P", BigDecimal.ONE.scaleByPowerOfTen(15)),
          Map.entry("E", BigDecimal.ONE.scaleByPowerOfTen(18)));

  private Quantities() {}

  /**
   * The amount {@code text} stands for, in base units (cores, bytes).
   *
   * @throws IllegalArgumentException when it is no Kubernetes quantity
   */
  static BigDecimal parse(String text) {
    Matcher matcher = text == null ? null : QUANTITY.matcher(text);
    if (matcher == null || !matcher.matches()) {
      throw new IllegalArgumentException("not a Kubernetes quantity: '" + text + "'");
    }
    BigDecimal number = new BigDecimal(matcher.group(1));
    String suffix = matcher.group(2);
    if (suffix == null) {
      return number;
    }
    BigDecimal multiple = MULTIPLES.get(suffix);
    // Not a unit, so an exponent: "E" alone is exa, "E3" is a thousand.
    return multiple != null
        ? number.multiply(multiple)
        : number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
  }
}
