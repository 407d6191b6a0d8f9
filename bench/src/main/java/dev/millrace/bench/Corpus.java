package dev.millrace.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark's input: lines of words drawn from a seeded Zipf distribution over a fixed
 * vocabulary, so every engine (and every JVM) builds exactly the same lines. Batches are cut from a
 * pool of lines in order, wrapping around, so a batch of any size is the same sequence for all.
 */
public final class Corpus {
  /** Distinct words in the vocabulary. */
  public static final int VOCABULARY = 10_000;

  /** Words per line. */
  public static final int WORDS_PER_LINE = 10;

  private static final long SEED = 20261121L;
  private static final double ZIPF_EXPONENT = 1.0;
  private static final int POOL_LINES = 200_000;

  private final List<String> pool;
  private int next;

  private Corpus(List<String> pool) {
    this.pool = pool;
  }

  /** The standard corpus: {@value #POOL_LINES} lines, the same on every call. */
  public static Corpus standard() {
    String[] words = new String[VOCABULARY];
    for (int i = 0; i < VOCABULARY; i++) {
      words[i] = "w" + Integer.toString(i, 36);
    }
    double[] cumulative = new double[VOCABULARY];
    double sum = 0;
    for (int i = 0; i < VOCABULARY; i++) {
      sum += 1.0 / Math.pow(i + 1, ZIPF_EXPONENT);
      cumulative[i] = sum;
    }
    SplittableRandom random = new SplittableRandom(SEED);
    List<String> lines = new ArrayList<>(POOL_LINES);
    StringBuilder line = new StringBuilder();
    for (int l = 0; l < POOL_LINES; l++) {
      line.setLength(0);
      for (int w = 0; w < WORDS_PER_LINE; w++) {
        int rank = java.util.Arrays.binarySearch(cumulative, random.nextDouble() * sum);
        int index = rank >= 0 ? rank : Math.min(-rank - 1, VOCABULARY - 1);
        if (w > 0) {
          line.append(' ');
        }
        line.append(words[index]);
      }
      lines.add(line.toString());
    }
    return new Corpus(List.copyOf(lines));
  }

  /** The next {@code words} words (rounded up to whole lines), continuing where the last ended. */
  public List<String> nextBatch(long words) {
    int lines = (int) Math.max(1, (words + WORDS_PER_LINE - 1) / WORDS_PER_LINE);
    List<String> batch = new ArrayList<>(lines);
    for (int i = 0; i < lines; i++) {
      batch.add(pool.get(next));
      next = next + 1 == pool.size() ? 0 : next + 1;
    }
    return batch;
  }

  /** Every line of the pool once. */
  public List<String> lines() {
    return pool;
  }
}
