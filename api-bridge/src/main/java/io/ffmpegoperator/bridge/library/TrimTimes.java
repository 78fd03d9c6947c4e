package io.ffmpegoperator.bridge.library;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a trim time into milliseconds. A bare number is milliseconds, as in the seed's example
 * ("5000" is five seconds); {@code 1.5s} and {@code 250ms} carry their unit; {@code HH:MM:SS[.fff]}
 * and {@code MM:SS[.fff]} are clock times. Fractions of a millisecond are rounded.
 */
final class TrimTimes {
  /** Far beyond any video (about 31 years); keeps every later sum inside a long. */
  static final long MAX_MILLIS = 1_000_000_000_000L;

  private static final String NUMBER = "(\\d+(?:\\.\\d+)?|\\.\\d+)";
  private static final Pattern WITH_UNIT =
      Pattern.compile(NUMBER + "\\s*(ms|s)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern CLOCK =
      Pattern.compile("(?:(\\d{1,6}):)?(\\d{1,2}):(\\d{1,2}(?:\\.\\d+)?)");
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  private TrimTimes() {}

  /**
   * Milliseconds from the start.
   *
   * @param field the request field, named in the error
   * @throws IllegalArgumentException with a sentence for the user when the text is no valid time
   */
  static long parseMillis(String field, String text) {
    String value = text == null ? "" : text.strip();
    if (value.startsWith("-")) {
      throw new IllegalArgumentException(field + " must not be negative: " + text);
    }
    BigDecimal millis = clock(value);
    if (millis == null) {
      millis = withUnit(value);
    }
    if (millis == null) {
      throw new IllegalArgumentException(
          "Invalid time format for "
              + field
              + ": '"
              + text
              + "'; use milliseconds (5000), a unit (1.5s, 250ms) or HH:MM:SS[.fff]");
    }
    BigDecimal rounded = millis.setScale(0, RoundingMode.HALF_UP);
    if (rounded.compareTo(BigDecimal.valueOf(MAX_MILLIS)) > 0) {
      throw new IllegalArgumentException(field + " is too large: " + text);
    }
    return rounded.longValueExact();
  }

  private static BigDecimal withUnit(String value) {
    Matcher m = WITH_UNIT.matcher(value);
    if (!m.matches() || m.group(1).length() > 20) {
      return null;
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
    return unit.equals("s") ? number.multiply(THOUSAND) : number;
  }

  private static BigDecimal clock(String value) {
    Matcher m = CLOCK.matcher(value);
    if (!m.matches() || value.length() > 30) {
      return null;
    }
    long hours = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
    long minutes = Long.parseLong(m.group(2));
    BigDecimal seconds = new BigDecimal(m.group(3));
    // 1:75 or 1:02:60 is a typo, not a time.
    if (minutes >= 60 || seconds.compareTo(BigDecimal.valueOf(60)) >= 0) {
      return null;
    }
    return BigDecimal.valueOf(hours * 3600 + minutes * 60).add(seconds).multiply(THOUSAND);
  }
}
