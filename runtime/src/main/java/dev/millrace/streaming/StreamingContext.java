package dev.millrace.streaming;

import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.Engine;
import dev.millrace.runtime.EngineLaunch;
import dev.millrace.runtime.GraphDescription;
import dev.millrace.runtime.SourceDefinition;
import dev.millrace.runtime.StreamDefinition;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of a streaming application: creates input streams, starts and stops the
 * computation.
 *
 * <pre>{@code
 * StreamingContext ssc = new StreamingContext("local[2]", "NetworkWordCount", Durations.seconds(1));
 * ssc.socketTextStream("localhost", 9999)
 *     .flatMap(line -> Arrays.asList(line.split(" ")))
 *     .mapToPair(word -> Pair.of(word, 1))
 *     .reduceByKey(Integer::sum)
 *     .print();
 * ssc.start();
 * ssc.awaitTermination();
 * }</pre>
 *
 * <p>Rules, as in the seed's "points to remember": once started, no new streams or operations can
 * be added; once stopped, a context cannot be started again; only one context can be active in a
 * JVM at a time. Breaking one raises an exception that says which rule and what to do.
 *
 * <p>A context only describes: its streams and outputs are recorded as definitions, and {@link
 * #start()} builds the engine that runs them ({@code dev.millrace.runtime.Engine}) from that
 * description and the configuration.
 */
public final class StreamingContext implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingContext.class);
  private static final Pattern LOCAL_MASTER = Pattern.compile("local(?:\\[(\\*|\\d+)])?");
  private static final AtomicReference<StreamingContext> ACTIVE = new AtomicReference<>();

  /** The lifecycle of a context. */
  public enum State {
    /** Created; streams and outputs may be defined. */
    INITIALIZED,
    /** Started: batches are being generated and processed. */
    ACTIVE,
    /** Stopped, by request or because a batch failed; cannot be started again. */
    STOPPED
  }

  static {
    Contexts.register(new EngineSide());
  }

  private final String master;
  private final String appName;
  private final Duration batchInterval;
  private final int defaultPartitions;
  private final Map<String, String> conf;
  private final GraphDescription description;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Object lifecycle = new Object();

  private volatile State state = State.INITIALIZED;
  private volatile StreamingException failure;
  private volatile EngineLaunch launch = EngineLaunch.inProcess();
  private volatile Engine engine;

  /**
   * A context running on {@code master} ({@code local}, {@code local[N]} or {@code local[*]}),
   * cutting input into batches every {@code batchInterval}.
   */
  public StreamingContext(String master, String appName, Duration batchInterval) {
    this(builder().master(master).appName(appName).batchInterval(batchInterval));
  }

  private StreamingContext(Builder b) {
    this.master = Objects.requireNonNull(b.master, "master");
    this.appName = requireName(b.appName);
    this.batchInterval = Objects.requireNonNull(b.batchInterval, "batchInterval");
    if (batchInterval.milliseconds() <= 0) {
      throw new ConfigurationException(
          "the batch interval must be positive, got "
              + batchInterval
              + "; for example"
              + " Durations.seconds(1)");
    }
    int threads = parseLocalThreads(master);
    this.description =
        GraphDescription.of(appName, master, batchInterval, threads, b.conf, b.clock, b.console);
    this.conf = description.settings().conf();
    this.defaultPartitions = description.settings().defaultPartitions();
  }

  /**
   * The context {@code factory} builds, checkpointing to {@code checkpointDirectory}: on its first
   * run the application starts empty; after a restart it resumes from the checkpoint.
   *
   * <p>Unlike Spark Streaming, the checkpoint holds only data (state, input positions, the batch
   * log), never the program: the factory always runs and defines the graph from code, and the
   * checkpoint is restored into it when {@link #start()} is called. A new build of the application
   * therefore recovers as long as its inputs and stateful operators (updateStateByKey, windows) are
   * the same; changing maps, filters or outputs is fine. If they differ, {@code start()} refuses
   * with a message naming the difference, and the launcher exits with code 65.
   *
   * <pre>{@code
   * StreamingContext ssc = StreamingContext.getOrCreate("hdfs://nn/checkpoints/wc", () -> {
   *   StreamingContext c = new StreamingContext("local[2]", "wc", Durations.seconds(1));
   *   c.textFileStream("/data/in").map(String::length).print();
   *   return c;
   * });
   * ssc.start();
   * ssc.awaitTermination();
   * }</pre>
   *
   * @throws IllegalArgumentException if the factory's context checkpoints to another directory
   */
  public static StreamingContext getOrCreate(
      String checkpointDirectory, Supplier<StreamingContext> factory) {
    Objects.requireNonNull(checkpointDirectory, "checkpointDirectory");
    StreamingContext ssc = Objects.requireNonNull(factory.get(), "the factory returned null");
    String set = ssc.checkpointDirectory();
    if (set == null) {
      ssc.checkpoint(checkpointDirectory);
    } else if (!set.equals(checkpointDirectory)) {
      throw new ConfigurationException(
          "getOrCreate(\""
              + checkpointDirectory
              + "\", ...): the factory's context checkpoints to "
              + set
              + "; remove its checkpoint(...) call or pass the same directory");
    }
    return ssc;
  }

  /** A builder for every setting: master, name, batch interval, clock, console, configuration. */
  public static Builder builder() {
    return new Builder();
  }

  private static String requireName(String appName) {
    if (appName == null || appName.isBlank()) {
      throw new ConfigurationException(
          "an application name is required: it names threads, logs and checkpoints");
    }
    return appName;
  }

  static int parseLocalThreads(String master) {
    Matcher m = LOCAL_MASTER.matcher(master.trim());
    if (!m.matches()) {
      throw new ConfigurationException(
          "master '"
              + master
              + "' is not supported here: use local, local[N] or local[*]. To run on Kubernetes,"
              + " YARN or with executor processes, launch the application with the millrace"
              + " command instead of choosing a master in code.");
    }
    String threads = m.group(1);
    if (threads == null) {
      return 1;
    }
    if (threads.equals("*")) {
      return Runtime.getRuntime().availableProcessors();
    }
    int n = Integer.parseInt(threads);
    if (n < 1) {
      throw new ConfigurationException(
          "master '" + master + "' asks for " + n + " threads; use at least local[1]");
    }
    return n;
  }

  // ---------------------------------------------------------------- input streams

  /**
   * Lines of UTF-8 text read from a TCP server at {@code host:port}. The connection is retried with
   * backoff while the server is unreachable; each batch holds the lines received since the previous
   * one. With backpressure ({@code millrace.backpressure.enabled}, on by default) a batch holds at
   * most the estimated rate times the batch interval and the receiver reads no faster than that
   * rate, nor than {@code millrace.receiver.max-rate}; it stops reading rather than drop lines, so
   * TCP slows the server down.
   *
   * <p>A line longer than {@code millrace.receiver.max-line-bytes} (1 MiB by default) is dropped as
   * it streams past, counted in the input's status and logged with a WARN. The receiver runs on a
   * thread of the driver; if it fails (other than by losing the connection) it starts again after a
   * backoff, and if it fails more than {@code millrace.receiver.max-restarts} times within {@code
   * millrace.receiver.restart-window}, the next batch fails with its error and the context stops,
   * so that a supervisor restarts the driver instead of the stream going quiet for ever.
   */
  public DStream<String> socketTextStream(String host, int port) {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new ConfigurationException(
          "socketTextStream: port " + port + " is not a TCP port (1-65535)");
    }
    return input("socketTextStream", new SourceDefinition.Socket(host, port));
  }

  /**
   * Lines of new text files in {@code directory}. Files present when the context starts are
   * ignored; a new file is read by the first batch whose time is at or after its modification time,
   * and never twice. Write files elsewhere (or under a name starting with {@code .} or {@code _})
   * and move them in atomically, so no batch sees half a file. A batch takes at most {@code
   * millrace.file.max-files-per-batch} files and, with backpressure, about as many lines as the
   * estimated rate times the batch interval, but always at least one file; files held back are read
   * by the next batches in modification-time order.
   *
   * <p>{@code directory} is a local path or a URI of any Hadoop file system, such as {@code
   * hdfs://namenode:8020/in} or {@code file:///in}, opened with the Hadoop configuration on the
   * classpath ({@code HADOOP_CONF_DIR}) and this context's {@code millrace.hadoop.*} settings. On
   * HDFS, write a file elsewhere and {@code hdfs dfs -mv} it in.
   *
   * <p>With a checkpoint directory, a file this stream has taken must stay in the directory until a
   * checkpoint covers its batch, not only until the batch completed: after a driver failure the
   * recovery reads the files of every batch since the checkpoint it restores, and stops with exit
   * code 66 naming a file that is gone. {@link #textFileStream(String, CleanSource)} removes files
   * only when that is safe.
   *
   * @throws IllegalArgumentException if {@code directory} is not a valid path or URI, or no Hadoop
   *     file system is known for its scheme; a file system that cannot be reached fails {@link
   *     #start()}
   */
  public DStream<String> textFileStream(String directory) {
    return textFileStream(directory, CleanSource.off());
  }

  /**
   * {@link #textFileStream(String)}, removing the files it has read as {@code cleanSource} says:
   * {@link CleanSource#delete()} deletes them and {@link CleanSource#archiveTo(String)} moves them
   * into another directory, each once a committed checkpoint covers the batch that read them, so
   * that a recovery never needs a file that is gone. A 24/7 application fed by files uses it to
   * keep its input directory small.
   *
   * <pre>{@code
   * ssc.checkpoint("hdfs://nn/checkpoints/ingest");
   * ssc.textFileStream("hdfs://nn/landing", CleanSource.archiveTo("hdfs://nn/landing/done"))
   *     .map(String::trim)
   *     .saveAsTextFiles("hdfs://nn/out/lines", "txt");
   * }</pre>
   *
   * <p>Whether or not it removes files, the stream logs after each checkpoint up to which batch its
   * input may be removed: remove files by hand only up to there.
   *
   * @throws IllegalArgumentException as {@link #textFileStream(String)}, and if the archive
   *     directory is not on the input directory's file system or is the input directory itself
   */
  public DStream<String> textFileStream(String directory, CleanSource cleanSource) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(cleanSource, "cleanSource");
    return input("textFileStream", new SourceDefinition.TextFiles(directory, cleanSource, conf));
  }

  /**
   * The records {@code source} plans and reads: an input of the application's own that can be read
   * again, such as a message log or a table of changes. Each batch's plan is logged before the
   * batch runs and its parts are read by tasks wherever they run, so with a checkpoint directory a
   * recovery re-reads exactly what failed batches read. With backpressure a batch plans at most the
   * estimated rate times the batch interval records. See {@link Source} for what the source must
   * guarantee.
   */
  public <T> DStream<T> stream(Source<T, ?> source) {
    return input("stream", new SourceDefinition.Planned<>(source));
  }

  /**
   * The records {@code receiver} stores: an input of the application's own that pushes records and
   * cannot be read again. The receiver runs in the driver; with a checkpoint directory, what it
   * stores is written to a write-ahead log before any batch sees it, so that each stored record is
   * processed exactly once across driver crashes. With backpressure a batch takes at most the
   * estimated rate times the batch interval records, and {@code store} blocks while the receiver is
   * ahead of that rate or of {@code millrace.receiver.max-rate}. See {@link Receiver} for how to
   * write one.
   */
  public <T> DStream<T> receiverStream(Receiver<T> receiver) {
    return input("receiverStream", new SourceDefinition.Received<>(receiver));
  }

  /**
   * Batches handed over in a queue, mainly for tests: each batch takes the next list in the queue
   * ({@code oneAtATime}) or all lists waiting. Add to a plain queue inside {@code synchronized
   * (queue)}, or use a concurrent queue. With backpressure a batch takes at most the estimated rate
   * times the batch interval records; the rest of a list it cuts opens the next batch.
   */
  public <T> DStream<T> queueStream(Queue<List<T>> queue, boolean oneAtATime) {
    Objects.requireNonNull(queue, "queue");
    return input("queueStream", new SourceDefinition.QueueOf<>(queue, oneAtATime));
  }

  /** {@link #queueStream(Queue, boolean)} taking one list per batch. */
  public <T> DStream<T> queueStream(Queue<List<T>> queue) {
    return queueStream(queue, true);
  }

  private <T> DStream<T> input(String operation, SourceDefinition source) {
    return new DStream<>(
        this,
        description.define(id -> new StreamDefinition.Input(id, operation, source, batchInterval)));
  }

  /** The records of all {@code streams}, which must share one slide interval, batch by batch. */
  @SafeVarargs
  public final <T> DStream<T> union(DStream<T>... streams) {
    if (streams.length == 0) {
      throw new ConfigurationException("union() needs at least one stream");
    }
    List<StreamDefinition> members = new ArrayList<>();
    for (DStream<T> s : streams) {
      if (s.context() != this) {
        throw new ConfigurationException(
            "union(): stream " + s.definition.name() + " belongs to another streaming context");
      }
      members.add(s.definition);
    }
    return new DStream<>(this, description.define(id -> new StreamDefinition.Union(id, members)));
  }

  // ---------------------------------------------------------------- settings

  /**
   * Sets the directory for checkpoints: any Hadoop-compatible file system path ({@code file://},
   * {@code hdfs://}, {@code s3a://} or a local path). Each batch's input is logged there before it
   * runs and stateful operations keep their state there, so the application survives a restart:
   * when the directory already holds a checkpoint of this application, {@link #start()} resumes
   * from it. Hadoop settings (such as s3a credentials) are passed as {@code millrace.hadoop.*}
   * configuration entries.
   *
   * <p>One running context per directory: {@link #start()} takes the directory's lease (files under
   * {@code <directory>/lease/}) and is refused while another driver holds it, naming that driver;
   * the lease is renewed while the context runs and released when it stops. A context whose lease
   * another driver takes over, or whose directory is deleted while it runs, stops without writing
   * to it, and {@link #awaitTermination()} throws saying so.
   */
  public void checkpoint(String directory) {
    description.checkpointDirectory(directory);
  }

  /** The checkpoint directory, or null if none was set. */
  public String checkpointDirectory() {
    return description.checkpointDirectory();
  }

  /** Adds a listener for batch events; may be called before or after start. */
  public void addStreamingListener(StreamingListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (lifecycle) {
      Engine running = engine;
      if (running != null) {
        running.addListener(listener);
      } else {
        description.listener(listener);
      }
    }
  }

  /** The interval at which input is cut into batches. */
  public Duration batchInterval() {
    return batchInterval;
  }

  /** The application name. */
  public String appName() {
    return appName;
  }

  /** The master this context runs on. */
  public String master() {
    return master;
  }

  /** Partitions used by keyed operations that name no count. */
  public int defaultParallelism() {
    return defaultPartitions;
  }

  /** The configuration entries this context was built with. */
  public Map<String, String> conf() {
    return conf;
  }

  /** The current lifecycle state. */
  public State state() {
    return state;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Starts generating and processing batches. The first batch time is the next multiple of the
   * batch interval on the context's clock.
   *
   * @throws IllegalStateException if the context was already started or stopped, if another context
   *     is active in this JVM, or if the graph has no output operation
   *     <p>With a checkpoint directory, start first takes the directory's lease (see {@link
   *     #checkpoint(String)}); while another driver holds it, start throws an exception naming that
   *     driver and how to take over safely, and the launcher exits with code 75.
   */
  public void start() {
    synchronized (lifecycle) {
      if (state == State.ACTIVE) {
        throw new IllegalStateException(
            "streaming context '" + appName + "' is already started; start() is called once");
      }
      if (state == State.STOPPED) {
        throw new IllegalStateException(
            "streaming context '"
                + appName
                + "' was stopped, and a stopped context cannot be restarted. Create a new"
                + " StreamingContext and define the streams again.");
      }
      StreamingContext other = ACTIVE.get();
      if (other != null || !ACTIVE.compareAndSet(null, this)) {
        throw new IllegalStateException(
            "streaming context '"
                + appName
                + "' cannot start: context '"
                + (other == null ? "?" : other.appName)
                + "' is already active in this JVM, and only one may be. Stop it first.");
      }
      Engine built = null;
      try {
        description.freeze();
        built = new Engine(description, launch, this::failed);
        engine = built;
        long first = built.start();
        state = State.ACTIVE;
        LOG.info(
            "streaming context '{}' started on {} with batch interval {}, first batch at {}",
            appName,
            master,
            batchInterval,
            first);
      } catch (RuntimeException e) {
        ACTIVE.compareAndSet(this, null);
        if (built != null) {
          built.close();
        }
        state = State.STOPPED;
        terminated.countDown();
        throw e;
      }
    }
  }

  private void failed(StreamingException e) {
    failure = e;
    Thread stopper = new Thread(() -> stop(false), "millrace-stop-after-failure-" + appName);
    stopper.setDaemon(true);
    stopper.start();
  }

  /**
   * Stops the computation. Gracefully ({@code true}): stops intake, processes what was already
   * received and every queued batch, bounded by {@code millrace.stop.graceful-timeout}. Otherwise
   * queued batches are dropped and the running one is given a short time to finish. Stopping a
   * context that is not running does nothing.
   *
   * <p>Called from inside an output operation or listener, it cannot wait for the batch that is
   * calling it: the stop then proceeds on another thread once that batch returns, and this call
   * returns at once.
   */
  public void stop(boolean graceful) {
    Engine running = engine;
    if (running != null && running.isProcessingThread()) {
      Thread stopper = new Thread(() -> stop(graceful), "millrace-stop-" + appName);
      stopper.setDaemon(false);
      stopper.start();
      return;
    }
    synchronized (lifecycle) {
      if (state != State.ACTIVE) {
        if (state == State.INITIALIZED) {
          state = State.STOPPED;
          terminated.countDown();
        }
        return;
      }
      long timeout = engine.stopTimeoutMillis(graceful);
      try {
        boolean clean = engine.stop(graceful && failure == null, timeout);
        LOG.info(
            "streaming context '{}' stopped{}{}",
            appName,
            graceful ? " gracefully" : "",
            clean ? "" : " after the timeout interrupted processing");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        engine.close();
        state = State.STOPPED;
        ACTIVE.compareAndSet(this, null);
        terminated.countDown();
      }
    }
  }

  /** Stops without waiting for queued batches, if running. */
  @Override
  public void close() {
    stop(false);
  }

  /**
   * Waits until the context stops.
   *
   * @throws StreamingException if it stopped because a batch failed
   */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
    rethrowFailure();
  }

  /**
   * Waits until the context stops or {@code timeoutMillis} pass.
   *
   * @return true if it stopped, false on timeout
   * @throws StreamingException if it stopped because a batch failed
   */
  public boolean awaitTerminationOrTimeout(long timeoutMillis) throws InterruptedException {
    boolean stopped = terminated.await(timeoutMillis, TimeUnit.MILLISECONDS);
    if (stopped) {
      rethrowFailure();
    }
    return stopped;
  }

  private void rethrowFailure() {
    StreamingException f = failure;
    if (f != null) {
      throw new StreamingException(f.getMessage(), f.getCause());
    }
  }

  // ---------------------------------------------------------------- for the API classes

  GraphDescription description() {
    return description;
  }

  /** What the engine's process mains see of a context, through {@link Contexts}. */
  private static final class EngineSide implements Contexts.Access {
    @Override
    public GraphDescription description(StreamingContext context) {
      return context.description;
    }

    @Override
    public void launchWith(StreamingContext context, EngineLaunch launch) {
      context.description.assertDefinable("the engine's launch");
      context.launch = Objects.requireNonNull(launch, "launch");
    }

    @Override
    public Engine engine(StreamingContext context) {
      return context.engine;
    }
  }

  /** Builds a {@link StreamingContext}; master, app name and batch interval are required. */
  public static final class Builder {
    private String master = "local[2]";
    private String appName;
    private Duration batchInterval;
    private Clock clock = Clock.system();
    private PrintStream console = System.out;
    private final Map<String, String> conf = new LinkedHashMap<>();

    private Builder() {}

    /** {@code local}, {@code local[N]} or {@code local[*]}; default {@code local[2]}. */
    public Builder master(String master) {
      this.master = master;
      return this;
    }

    /** The application name. */
    public Builder appName(String appName) {
      this.appName = appName;
      return this;
    }

    /** The batch interval. */
    public Builder batchInterval(Duration batchInterval) {
      this.batchInterval = batchInterval;
      return this;
    }

    /** The clock; a {@link ManualClock} makes tests deterministic. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where {@code print()} writes; default {@code System.out}. */
    public Builder console(PrintStream console) {
      this.console = Objects.requireNonNull(console, "console");
      return this;
    }

    /**
     * Sets one configuration entry, e.g. {@code millrace.default.parallelism}. {@link #build()}
     * refuses a {@code millrace.*} key that names no setting and an invalid value.
     */
    public Builder conf(String key, String value) {
      conf.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Sets every entry of {@code entries}. */
    public Builder conf(Map<String, String> entries) {
      entries.forEach(this::conf);
      return this;
    }

    /** The context. */
    public StreamingContext build() {
      return new StreamingContext(this);
    }
  }
}
