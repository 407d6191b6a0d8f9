package dev.millrace.runtime;

import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.streaming.Clock;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.StreamingListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * Everything an application's {@code StreamingContext} was told, as a description: its settings,
 * its streams and outputs in the order they were defined, which streams are persisted or
 * checkpointed at their own interval, its checkpoint directory and its listeners. The {@link
 * Engine} is built from it when the context starts; an executor builds its graph from its own.
 *
 * <p>The user's API records into it while the application defines its graph; {@link #freeze()} at
 * start makes it final, after which every attempt to define more is refused, as in the seed: "once
 * a context has been started, no new streaming computations can be set up".
 */
public final class GraphDescription {
  private final Settings settings;
  private final List<StreamDefinition> streams = new CopyOnWriteArrayList<>();
  private final List<OutputDefinition> outputs = new CopyOnWriteArrayList<>();
  private final List<StreamingListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<Integer, Boolean> persisted = new ConcurrentHashMap<>();
  private final Map<Integer, Duration> checkpointIntervals = new ConcurrentHashMap<>();
  private volatile String checkpointDirectory;
  private volatile boolean frozen;

  /** An empty description of an application with {@code settings}. */
  public GraphDescription(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.checkpointDirectory = StreamingOptions.CHECKPOINT_DIR.read(settings.conf());
  }

  /**
   * An empty description of the application {@code appName} with these settings, its configuration
   * validated first.
   *
   * @throws dev.millrace.streaming.ConfigurationException naming a {@code millrace.*} key that
   *     names no setting, or an invalid value
   */
  public static GraphDescription of(
      String appName,
      String master,
      Duration batchInterval,
      int threads,
      Map<String, String> conf,
      Clock clock,
      PrintStream console) {
    StreamingOptions.validate(conf);
    Integer configured = StreamingOptions.DEFAULT_PARALLELISM.read(conf);
    return new GraphDescription(
        new Settings(
            appName,
            master,
            batchInterval,
            threads,
            configured != null ? configured : threads,
            conf,
            clock,
            console));
  }

  /**
   * The settings a context is made with.
   *
   * @param appName names threads, logs and checkpoints
   * @param master what the application asked to run on, e.g. {@code local[2]}
   * @param batchInterval the interval at which input is cut into batches
   * @param threads the task threads of {@code local[N]}
   * @param defaultPartitions partitions of keyed operations that name no count
   * @param conf the configuration entries, validated
   * @param clock the clock batches are timed by
   * @param console where {@code print()} writes
   */
  public record Settings(
      String appName,
      String master,
      Duration batchInterval,
      int threads,
      int defaultPartitions,
      Map<String, String> conf,
      Clock clock,
      PrintStream console) {
    /** Copies the configuration. */
    public Settings {
      conf = Map.copyOf(conf);
    }
  }

  /** The settings. */
  public Settings settings() {
    return settings;
  }

  /**
   * Adds the stream {@code define} makes from its number and returns it.
   *
   * @throws IllegalStateException once the description is frozen
   */
  public <D extends StreamDefinition> D define(IntFunction<D> define) {
    synchronized (streams) {
      D d = define.apply(streams.size());
      assertDefinable(d.operation());
      streams.add(d);
      return d;
    }
  }

  /** Adds an output operation; outputs run in the order they were added. */
  public void output(OutputDefinition output) {
    assertDefinable(output.name());
    outputs.add(output);
  }

  /** Marks {@code stream} to be kept in memory once computed. */
  public void persist(StreamDefinition stream) {
    assertDefinable("persist");
    persisted.put(stream.id(), true);
  }

  /** Records the checkpoint interval {@code stream} asked for. */
  public void checkpointInterval(StreamDefinition stream, Duration interval) {
    assertDefinable("checkpoint");
    checkpointIntervals.put(stream.id(), interval);
  }

  /** Sets the checkpoint directory. */
  public void checkpointDirectory(String directory) {
    assertDefinable("checkpoint");
    this.checkpointDirectory = Objects.requireNonNull(directory, "directory");
  }

  /** Adds a listener; before start only (a running context hands them to its engine). */
  public void listener(StreamingListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Makes the description final: nothing can be defined after. */
  public void freeze() {
    frozen = true;
  }

  /** Refuses to change the description once it runs. */
  public void assertDefinable(String operation) {
    if (frozen) {
      throw new IllegalStateException(
          "cannot add "
              + operation
              + "() to streaming context '"
              + settings.appName()
              + "': it has already started, and operations must be defined before start()."
              + " Define the whole graph first, then call start().");
    }
  }

  /** Every stream, in definition order. */
  public List<StreamDefinition> streams() {
    return List.copyOf(streams);
  }

  /** The output operations, in the order they run. */
  public List<OutputDefinition> outputs() {
    return List.copyOf(outputs);
  }

  /** Whether {@code stream} was persisted. */
  public boolean isPersisted(StreamDefinition stream) {
    return persisted.containsKey(stream.id());
  }

  /** The checkpoint interval {@code stream} asked for, if it did. */
  public Optional<Duration> checkpointInterval(StreamDefinition stream) {
    return Optional.ofNullable(checkpointIntervals.get(stream.id()));
  }

  /** The checkpoint directory, or null if none was set. */
  public String checkpointDirectory() {
    return checkpointDirectory;
  }

  /** The listeners added before start, in order. */
  public List<StreamingListener> listeners() {
    return new ArrayList<>(listeners);
  }
}
