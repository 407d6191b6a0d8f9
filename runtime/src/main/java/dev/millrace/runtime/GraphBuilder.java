package dev.millrace.runtime;

import dev.millrace.runtime.backpressure.RateController;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.dataset.AggregateDataset;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.Pipe;
import dev.millrace.runtime.dataset.PipeDataset;
import dev.millrace.runtime.shuffle.Aggregator;
import dev.millrace.runtime.shuffle.CoGroupDataset;
import dev.millrace.runtime.shuffle.HashPartitioner;
import dev.millrace.runtime.shuffle.RepartitionDataset;
import dev.millrace.runtime.shuffle.ShuffleDataset;
import dev.millrace.runtime.sink.TextFileBatchWriter;
import dev.millrace.runtime.source.InputSource;
import dev.millrace.runtime.source.QueueSource;
import dev.millrace.runtime.source.ReceiverSettings;
import dev.millrace.runtime.source.SocketTextSource;
import dev.millrace.runtime.source.SourceInput;
import dev.millrace.runtime.source.TextFileSource;
import dev.millrace.runtime.stream.DatasetBatch;
import dev.millrace.runtime.stream.DatasetPairBatch;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.MappedNode;
import dev.millrace.runtime.stream.OutputOperation;
import dev.millrace.runtime.stream.StateNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.stream.StreamNode;
import dev.millrace.runtime.stream.UnionNode;
import dev.millrace.runtime.stream.WindowNode;
import dev.millrace.runtime.stream.WindowReduceNode;
import dev.millrace.runtime.stream.ZippedNode;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.Batch;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Builds the engine's stream graph from an application's description: one node per stream
 * definition, in definition order (so each node's number is its definition's), the sources its
 * inputs read, and the output operations. The one place where an operation the application named
 * becomes the datasets that compute it.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class GraphBuilder {
  private final GraphDescription description;
  private final GraphDescription.Settings settings;
  private final Supplier<TaskRunner> runner;
  private final CheckpointStore store;
  private final StreamGraph graph;
  private final Map<Integer, StreamNode<?>> nodes = new HashMap<>();
  private final List<StreamingListener> rateControllers = new ArrayList<>();

  private GraphBuilder(
      GraphDescription description, Supplier<TaskRunner> runner, CheckpointStore store) {
    this.description = description;
    this.settings = description.settings();
    this.runner = runner;
    this.store = store;
    this.graph = new StreamGraph(settings.appName(), settings.batchInterval());
  }

  /** What {@link #build} made: the graph and the rate controllers of its inputs. */
  record Built(StreamGraph graph, List<StreamingListener> rateControllers) {}

  /**
   * The graph {@code description} defines, its batches computed on the runner {@code runner}
   * supplies once batches run, its receivers logging to {@code store} (null for none).
   */
  static Built build(
      GraphDescription description, Supplier<TaskRunner> runner, CheckpointStore store) {
    GraphBuilder b = new GraphBuilder(description, runner, store);
    for (StreamDefinition d : description.streams()) {
      StreamNode<?> node = b.node(d);
      if (description.isPersisted(d)) {
        node.persist();
      }
      description.checkpointInterval(d).ifPresent(node::checkpointInterval);
      b.nodes.put(d.id(), node);
    }
    for (OutputDefinition o : description.outputs()) {
      b.graph.addOutput(b.output(o));
    }
    return new Built(b.graph, List.copyOf(b.rateControllers));
  }

  private StreamNode parent(StreamDefinition d) {
    return nodes.get(d.id());
  }

  private StreamNode<?> node(StreamDefinition definition) {
    if (definition instanceof StreamDefinition.Input d) {
      return input(d);
    } else if (definition instanceof StreamDefinition.Map d) {
      return narrow(d, d.operation(), Pipe.map(d.f()));
    } else if (definition instanceof StreamDefinition.FlatMap d) {
      return narrow(d, d.operation(), Pipe.flatMap(d.f()));
    } else if (definition instanceof StreamDefinition.MapMulti d) {
      return narrow(d, d.operation(), Pipe.mapMulti(d.f()));
    } else if (definition instanceof StreamDefinition.Filter d) {
      return narrow(d, d.operation(), Pipe.filter(d.p()));
    } else if (definition instanceof StreamDefinition.Repartition d) {
      return perBatch(d, (ds, t) -> new RepartitionDataset<>(ds, d.partitions()));
    } else if (definition instanceof StreamDefinition.Count d) {
      return perBatch(d, (ds, t) -> AggregateDataset.counting(ds));
    } else if (definition instanceof StreamDefinition.Reduce d) {
      return perBatch(d, (ds, t) -> AggregateDataset.reducing(ds, d.f()));
    } else if (definition instanceof StreamDefinition.Transform d) {
      return perBatch(
          d,
          (ds, t) ->
              DatasetBatch.datasetOf(
                  (Batch) d.f().apply(batchOf(ds, t, d.pairs())), "transform", t));
    } else if (definition instanceof StreamDefinition.ReduceByKey d) {
      HashPartitioner partitioner = new HashPartitioner(d.partitions());
      return perBatch(
          d, (ds, t) -> new ShuffleDataset<>(ds, Aggregator.reducing(d.f()), partitioner));
    } else if (definition instanceof StreamDefinition.GroupByKey d) {
      HashPartitioner partitioner = new HashPartitioner(d.partitions());
      return perBatch(d, (ds, t) -> new ShuffleDataset<>(ds, Aggregator.grouping(), partitioner));
    } else if (definition instanceof StreamDefinition.CoGroup d) {
      return coGroup(d);
    } else if (definition instanceof StreamDefinition.Union d) {
      List<StreamNode<?>> members = new ArrayList<>();
      for (StreamDefinition m : d.members()) {
        members.add(parent(m));
      }
      return new UnionNode(members);
    } else if (definition instanceof StreamDefinition.Window d) {
      return new WindowNode(parent(d.parent()), d.operation(), d.length(), d.slide());
    } else if (definition instanceof StreamDefinition.UpdateState d) {
      return new StateNode(parent(d.parent()), d.update(), d.partitions());
    } else if (definition instanceof StreamDefinition.WindowReduce d) {
      return new WindowReduceNode(
          parent(d.reducedPerBatch()),
          d.length(),
          d.slide(),
          d.reduce(),
          d.inverse(),
          d.filter(),
          new HashPartitioner(d.partitions()));
    }
    throw new IllegalArgumentException("no stream is built from " + definition);
  }

  private StreamNode<?> narrow(StreamDefinition.OneParent d, String operation, Pipe pipe) {
    return new MappedNode(parent(d.parent()), operation, (ds, t) -> new PipeDataset(ds, pipe));
  }

  private StreamNode<?> perBatch(StreamDefinition.OneParent d, MappedNode.PerBatch perBatch) {
    return new MappedNode(parent(d.parent()), d.operation(), perBatch);
  }

  private StreamNode<?> coGroup(StreamDefinition.CoGroup d) {
    HashPartitioner partitioner = new HashPartitioner(d.partitions());
    StreamDefinition.GroupEmitter emitter = d.emit();
    Pipe<Pair<Object, Pair<List<Object>, List<Object>>>, Pair<Object, Object>> emit =
        Pipe.mapMulti((g, out) -> emitter.emit(g.key(), g.value(), out));
    return new ZippedNode(
        parent(d.left()),
        parent(d.right()),
        d.operation(),
        (a, b) ->
            new PipeDataset<>(
                new CoGroupDataset<>((Dataset) a, (Dataset) b, partitioner), (Pipe) emit));
  }

  private StreamNode<?> input(StreamDefinition.Input d) {
    int index = graph.inputs().size();
    InputNode<?> node = new InputNode<>(graph, d.operation(), source(d.source(), index));
    RateController.configured(node, settings.conf(), settings.batchInterval().milliseconds())
        .ifPresent(rateControllers::add);
    return node;
  }

  /** The source {@code definition} names, the {@code index}-th input of the graph. */
  private InputSource<?> source(SourceDefinition definition, int index) {
    Map<String, String> conf = settings.conf();
    if (definition instanceof SourceDefinition.Socket s) {
      return new SocketTextSource(
          s.host(),
          s.port(),
          settings.defaultPartitions(),
          settings.appName() + "-" + s.host() + ":" + s.port(),
          ReceiverSettings.of(conf),
          store,
          "input-" + index);
    } else if (definition instanceof SourceDefinition.TextFiles f) {
      return new TextFileSource(
              f.directory(),
              StreamingOptions.hadoopConfiguration(conf),
              settings.defaultPartitions(),
              settings.appName() + "-files",
              StreamingOptions.FILE_MAX_FILES_PER_BATCH.read(conf),
              f.cleanSource())
          .input();
    } else if (definition instanceof SourceDefinition.Planned p) {
      return new SourceInput<>(p.source());
    } else if (definition instanceof SourceDefinition.Received r) {
      return ReceiverBinding.input(
          r.receiver(),
          settings.defaultPartitions(),
          ReceiverSettings.of(conf),
          store,
          "input-" + index);
    } else if (definition instanceof SourceDefinition.QueueOf q) {
      return QueueSource.input(q.queue(), q.oneAtATime(), settings.defaultPartitions());
    }
    throw new IllegalArgumentException("no source is built from " + definition);
  }

  private OutputOperation<?> output(OutputDefinition definition) {
    StreamNode node = parent(definition.stream());
    if (definition instanceof OutputDefinition.Print p) {
      return new OutputOperation(p.name(), node, print(p.num()));
    } else if (definition instanceof OutputDefinition.ForeachBatch f) {
      Consumer<Batch> action = f.f();
      boolean pairs = f.pairs();
      return new OutputOperation(
          f.name(),
          node,
          (OutputOperation.BatchAction) (ds, time) -> action.accept(batchOf(ds, time, pairs)));
    } else if (definition instanceof OutputDefinition.SaveAsTextFiles s) {
      TextFileBatchWriter writer = s.writer(settings.conf());
      return new OutputOperation(
          s.name(),
          node,
          (OutputOperation.BatchAction) (ds, time) -> writer.write(ds, time, runner.get()));
    }
    throw new IllegalArgumentException("no output is built from " + definition);
  }

  private OutputOperation.BatchAction print(int num) {
    PrintStream out = settings.console();
    return (ds, time) -> {
      List<?> first = batchOf(ds, time, false).take(num + 1);
      StringBuilder sb = new StringBuilder();
      sb.append("-------------------------------------------\n");
      sb.append("Time: ").append(time).append(" ms\n");
      sb.append("-------------------------------------------\n");
      for (int i = 0; i < Math.min(num, first.size()); i++) {
        sb.append(first.get(i)).append('\n');
      }
      if (first.size() > num) {
        sb.append("...\n");
      }
      sb.append('\n');
      out.print(sb);
      out.flush();
    };
  }

  private Batch batchOf(Dataset ds, long time, boolean pairs) {
    return pairs
        ? new DatasetPairBatch<>(ds, time, runner.get())
        : new DatasetBatch<>(ds, time, runner.get());
  }
}
