package io.ffmpegoperator.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into arguments the way a POSIX shell would quote them, and nothing more: no
 * variables, globs, redirections or substitutions, so text can never escape into a shell.
 */
final class CommandTokenizer {
  private CommandTokenizer() {}

  /**
   * Splits on unquoted whitespace. Single quotes keep text literally; inside double quotes a
   * backslash escapes {@code "} and {@code \}; outside quotes a backslash escapes any character.
   *
   * @throws IllegalArgumentException for an unterminated quote or a trailing backslash
   */
  static List<String> tokenize(String command) {
    List<String> tokens = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inToken = false;
    int i = 0;
    while (i < command.length()) {
      char c = command.charAt(i);
      if (Character.isWhitespace(c)) {
        if (inToken) {
          tokens.add(current.toString());
          current.setLength(0);
          inToken = false;
        }
        i++;
      } else if (c == '\'') {
        int end = command.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated single quote");
        }
        current.append(command, i + 1, end);
        inToken = true;
        i = end + 1;
      } else if (c == '"') {
        i++;
        boolean closed = false;
        while (i < command.length()) {
          char d = command.charAt(i);
          if (d == '"') {
            closed = true;
            i++;
            break;
          }
          if (d == '\\'
              && i + 1 < command.length()
              && (command.charAt(i + 1) == '"' || command.charAt(i + 1) == '\\')) {
            d = command.charAt(++i);
          }
          current.append(d);
          i++;
        }
        if (!closed) {
          throw new IllegalArgumentException("unterminated double quote");
        }
        inToken = true;
      } else if (c == '\\') {
        if (i + 1 >= command.length()) {
          throw new IllegalArgumentException("trailing backslash");
        }
        current.append(command.charAt(i + 1));
        inToken = true;
        i += 2;
      } else {
        current.append(c);
        inToken = true;
        i++;
      }
    }
    if (inToken) {
      tokens.add(current.toString());
    }
    return tokens;
  }
}
