package dev.millrace.runtime;

import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.source.TextFileSource;
import dev.millrace.streaming.CleanSource;
import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.Receiver;
import dev.millrace.streaming.Source;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;

/**
 * What an input stream reads, as the application named it: a value, not a running source. The
 * {@link Engine} creates the source from it when the context starts (and an executor creates its
 * own to read plan partitions); creating a definition opens no socket and lists no directory.
 *
 * <p>A definition refuses what can never work where the application wrote it, so a bad port or
 * directory fails at {@code socketTextStream(...)} or {@code textFileStream(...)}, not later.
 */
public sealed interface SourceDefinition {

  /** Lines of text from a TCP server. */
  record Socket(String host, int port) implements SourceDefinition {
    /** Checks the host and port. */
    public Socket {
      Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65535) {
        throw new ConfigurationException(
            "socketTextStream: port " + port + " is not a TCP port (1-65535)");
      }
      if (host.isBlank()) {
        throw new ConfigurationException(
            "socketTextStream: a host name to connect to is required, got '" + host + "'");
      }
    }
  }

  /** Lines of the new text files in a directory, removed as {@code cleanSource} says. */
  record TextFiles(String directory, CleanSource cleanSource) implements SourceDefinition {
    /**
     * Checks the directory against {@code conf}'s Hadoop settings: a location that is not a valid
     * path or URI, or whose scheme no file system serves, is refused here.
     */
    public TextFiles(String directory, CleanSource cleanSource, Map<String, String> conf) {
      this(directory, cleanSource);
      try {
        // Built only to check the location and the archive directory, as the engine will build it.
        new TextFileSource(
            directory,
            StreamingOptions.hadoopConfiguration(conf),
            1,
            "files",
            StreamingOptions.FILE_MAX_FILES_PER_BATCH.read(conf),
            cleanSource);
      } catch (ConfigurationException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(e.getMessage(), e);
      }
    }

    /** Requires both parts. */
    public TextFiles {
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(cleanSource, "cleanSource");
    }
  }

  /** An application's own {@link Source}. */
  record Planned<T>(Source<T, ?> source) implements SourceDefinition {
    /** Requires the source. */
    public Planned {
      Objects.requireNonNull(source, "source");
    }
  }

  /** An application's own {@link Receiver}, run in the driver. */
  record Received<T>(Receiver<T> receiver) implements SourceDefinition {
    /** Requires the receiver. */
    public Received {
      Objects.requireNonNull(receiver, "receiver");
    }
  }

  /** Batches handed over in a queue: one list per batch, or every list waiting. */
  record QueueOf<T>(Queue<List<T>> queue, boolean oneAtATime) implements SourceDefinition {
    /** Requires the queue. */
    public QueueOf {
      Objects.requireNonNull(queue, "queue");
    }
  }
}
