package dev.millrace.runtime.history;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The parts one input of a batch read, as the history keeps them (what the engine's {@code
 * source.InputParts} told): capped, so a batch of ten thousand files stays small.
 *
 * @param input the input stream's name, e.g. {@code textFileStream#0}
 * @param total how many parts the batch's plan has
 * @param parts the first of them, each described in one line (a file split's path and byte range, a
 *     Kafka offset range, a queue slice's records)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PartsSummary(String input, int total, List<String> parts) {

  /** Copies {@code parts}; none if absent. */
  @JsonCreator
  public PartsSummary {
    parts = parts == null ? List.of() : List.copyOf(parts);
  }
}
