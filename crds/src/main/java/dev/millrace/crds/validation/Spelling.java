package dev.millrace.crds.validation;

import java.util.Collection;
import java.util.Locale;

/** Finds the name someone most likely meant when they misspelt it. */
final class Spelling {
  private Spelling() {}

  /**
   * The candidate closest to {@code written}, ignoring case, if it is close enough to be a typo
   * (one edit for short names, up to three for long ones); otherwise null.
   */
  static String closest(String written, Collection<String> candidates) {
    String typed = written.toLowerCase(Locale.ROOT);
    int allowed = typed.length() <= 4 ? 1 : typed.length() <= 10 ? 2 : 3;
    String best = null;
    int bestDistance = allowed + 1;
    for (String candidate : candidates) {
      int distance = distance(typed, candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  /**
   * Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}: the
   * optimal string alignment distance, so that "memroy" is one edit from "memory".
   */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
