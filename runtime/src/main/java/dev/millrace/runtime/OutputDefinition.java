package dev.millrace.runtime;

import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.sink.TextFileBatchWriter;
import dev.millrace.streaming.Batch;
import dev.millrace.streaming.ConfigurationException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One output operation as the application defined it: which stream it writes and how. The {@link
 * Engine} builds the operation that runs at each batch from it; outputs run in definition order.
 */
public sealed interface OutputDefinition {

  /** The stream written out. */
  StreamDefinition stream();

  /** What the application called, e.g. {@code saveAsTextFiles}. */
  String name();

  /** The first {@code num} records of every batch printed to the context's console. */
  record Print(StreamDefinition stream, int num) implements OutputDefinition {
    /** Requires at least one record. */
    public Print {
      if (num < 1) {
        throw new ConfigurationException("print(num): num must be at least 1, got " + num);
      }
    }

    @Override
    public String name() {
      return "print";
    }
  }

  /**
   * {@code f} called with every batch, on the driver, in batch order; {@code pairs} says whether it
   * is handed a batch of pairs.
   */
  record ForeachBatch<T>(StreamDefinition stream, Consumer<Batch<T>> f, boolean pairs)
      implements OutputDefinition {
    /** Requires the function. */
    public ForeachBatch {
      Objects.requireNonNull(f, "f");
    }

    @Override
    public String name() {
      return "foreachBatch";
    }
  }

  /** Every batch written as text to the directory {@code prefix-TIME_IN_MS[.suffix]}. */
  record SaveAsTextFiles(StreamDefinition stream, String prefix, String suffix)
      implements OutputDefinition {

    /**
     * Checks the prefix against {@code conf}'s Hadoop settings: a location that is not a valid path
     * or URI, or whose scheme no file system serves, is refused here.
     */
    public SaveAsTextFiles(
        StreamDefinition stream, String prefix, String suffix, Map<String, String> conf) {
      this(stream, prefix, suffix);
      writer(conf);
    }

    /** Requires a prefix. */
    public SaveAsTextFiles {
      Objects.requireNonNull(prefix, "prefix");
    }

    @Override
    public String name() {
      return "saveAsTextFiles";
    }

    /** The writer of this output, its file system opened with {@code conf}'s Hadoop settings. */
    TextFileBatchWriter writer(Map<String, String> conf) {
      try {
        return new TextFileBatchWriter(prefix, suffix, StreamingOptions.hadoopConfiguration(conf));
      } catch (ConfigurationException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(e.getMessage(), e);
      }
    }
  }
}
