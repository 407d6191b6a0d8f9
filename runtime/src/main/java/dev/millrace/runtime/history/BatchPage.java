package dev.millrace.runtime.history;

import java.util.List;

/**
 * One page of a {@link BatchHistory}, newest first.
 *
 * @param total how many batches matched the filter, on every page
 * @param offset how many matching batches come before this page
 * @param limit the most batches the page could hold
 * @param batches the page's batches
 */
public record BatchPage(int total, int offset, int limit, List<BatchSummary> batches) {

  /** Copies {@code batches}. */
  public BatchPage {
    batches = List.copyOf(batches);
  }
}
