package dev.millrace.runtime.recovery;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.runtime.checkpoint.AppManifest;
import dev.millrace.runtime.checkpoint.CheckpointDamagedException;
import dev.millrace.runtime.checkpoint.CheckpointException;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.checkpoint.CorruptBatchPlanException;
import dev.millrace.runtime.checkpoint.DamagedPlan;
import dev.millrace.runtime.checkpoint.Generation;
import dev.millrace.runtime.checkpoint.ReplayLog;
import dev.millrace.runtime.checkpoint.SkippedGeneration;
import dev.millrace.runtime.checkpoint.StateParts;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.source.InputMissingException;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.StateSnapshot;
import dev.millrace.runtime.stream.StatefulNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.stream.StreamNode;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.CheckpointInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one application's batches survive its driver: the scheduler tells it what each batch took
 * as input before the batch runs and when the batch's outputs have committed, and it keeps the
 * checkpoint directory such that a restarted driver computes exactly what a never-failed one would.
 *
 * <p>What it writes, through {@link CheckpointStore}:
 *
 * <ul>
 *   <li>the app manifest, once: batch interval, zero time and the graph's fingerprint (its inputs
 *       and the {@linkplain StatefulNode#shape shapes} of its stateful operators, in order);
 *   <li>a plan per batch before it runs (the batch's {@link BatchPlan}), a done mark after its
 *       outputs;
 *   <li>every checkpoint interval, a generation: each stateful operator's snapshot through the
 *       record codec ({@code state-<i>}) and each source's position ({@code source-<i>}); then the
 *       log up to the oldest generation kept is dropped. A fresh start writes a generation at the
 *       zero time, so a recovery always has one.
 * </ul>
 *
 * <p>A recovery rebuilds nothing from the checkpoint but data: the graph comes from code and must
 * have the same fingerprint. It restores the newest valid generation, positions the sources after
 * every logged plan, and returns the logged batches to replay: those marked done only move the
 * state forward, the others run their outputs again (idempotent outputs thus give exactly-once
 * results). The generator then continues after the last logged batch, so batches missed while the
 * driver was down are generated in order, as if it had never stopped.
 *
 * <p>{@link #open} and {@link #started} run before the scheduler's threads; {@link #recordPlan} and
 * {@link #sourceSnapshots} on the generator thread; {@link #completed} and {@link #advance} on the
 * processor thread.
 */
public final class Checkpointer {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

  private final CheckpointStore store;
  private final RecordCodec codec;
  private final StreamGraph graph;
  private final TaskRunner runner;
  private final CheckpointListener listeners;
  private final long batchInterval;
  private final long checkpointInterval;
  private final List<InputNode<?>> inputs;
  private final List<StatefulNode> stateful;
  private final Set<StreamNode<?>> readByState;
  // Source positions of the generations this process wrote, and of the oldest one kept if an
  // earlier driver wrote it, until they are no longer kept.
  private final TreeMap<Long, List<byte[]>> written = new TreeMap<>();

  /**
   * Checkpoints {@code graph} to {@code store} every {@code checkpointIntervalMillis}, a multiple
   * of the batch interval, encoding state with {@code codec}, computing snapshots on {@code runner}
   * and telling {@code listeners} about each generation written or restored.
   */
  public Checkpointer(
      CheckpointStore store,
      RecordCodec codec,
      StreamGraph graph,
      TaskRunner runner,
      CheckpointListener listeners,
      long checkpointIntervalMillis) {
    this.store = store;
    this.codec = codec;
    this.graph = graph;
    this.runner = runner;
    this.listeners = listeners;
    this.batchInterval = graph.batchInterval().milliseconds();
    if (checkpointIntervalMillis <= 0 || checkpointIntervalMillis % batchInterval != 0) {
      throw new IllegalArgumentException(
          "the checkpoint interval of '"
              + graph.appName()
              + "' is "
              + checkpointIntervalMillis
              + " ms, which is not a positive multiple of the batch interval "
              + graph.batchInterval()
              + "; choose a multiple, for example "
              + 10 * batchInterval
              + " ms");
    }
    this.checkpointInterval = checkpointIntervalMillis;
    this.inputs = graph.inputs();
    this.stateful = statefulNodes(graph);
    this.readByState = readByState(stateful);
  }

  /**
   * The stateful streams of {@code graph} in creation order: generation file {@code i} is the i-th.
   */
  static List<StatefulNode> statefulNodes(StreamGraph graph) {
    List<StatefulNode> nodes = new ArrayList<>();
    for (StreamNode<?> node : graph.nodes()) {
      if (node instanceof StatefulNode s) {
        nodes.add(s);
      }
    }
    return nodes;
  }

  /**
   * What a checkpoint of {@code graph} depends on: one line per input stream ({@code input
   * textFileStream}) and per stateful operator ({@code state updateStateByKey}), in the order the
   * code defines them. Stateless operators may change freely between runs.
   */
  public static List<String> fingerprint(StreamGraph graph) {
    List<String> lines = new ArrayList<>();
    for (InputNode<?> input : graph.inputs()) {
      lines.add("input " + input.operation());
    }
    for (StatefulNode node : statefulNodes(graph)) {
      lines.add("state " + node.shape());
    }
    return lines;
  }

  /**
   * Starts the graph, fresh if the directory holds no checkpoint of this application, otherwise
   * with the state of its newest readable generation, and says where the sources start: the caller
   * starts them, then calls {@link #started}.
   *
   * @param firstBatchTime the first batch a fresh start would run (the next multiple of the batch
   *     interval after now)
   * @param coalesceDowntime whether a recovered graph without stateful operators runs the batches
   *     missed while it was down as one batch
   * @throws CheckpointIncompatibleException if the checkpoint cannot be resumed by this code
   * @throws CheckpointDamagedException if a checkpoint file the recovery needs is damaged
   */
  public StartPoint open(long firstBatchTime, boolean coalesceDowntime) {
    Optional<AppManifest> manifest = store.readAppManifest();
    if (manifest.isEmpty()) {
      if (store.hasGenerations()) {
        throw new CheckpointIncompatibleException(
            "checkpoint directory "
                + store.uri()
                + " holds checkpoint generations but no manifest, so it cannot be known which"
                + " application wrote them. Restore the manifest file, or point '"
                + graph.appName()
                + "' at an empty directory.");
      }
      return fresh(firstBatchTime);
    }
    if (!store.hasGenerations() && !store.hasLoggedBatches()) {
      // A first start that died between writing the manifest and its first generation.
      return fresh(firstBatchTime);
    }
    return recover(manifest.get(), firstBatchTime, coalesceDowntime);
  }

  private StartPoint fresh(long firstBatchTime) {
    listeners.checkpointOpened(
        new CheckpointOpened(store.uri(), checkpointInterval, null, List.of(), List.of()));
    long zeroTime = firstBatchTime - batchInterval;
    store.forgetBatchesUpTo(Long.MAX_VALUE);
    graph.start(zeroTime);
    store.writeAppManifest(
        new AppManifest(
            AppManifest.CURRENT_FORMAT_VERSION,
            graph.appName(),
            batchInterval,
            zeroTime,
            fingerprint(graph)));
    return new StartPoint.Fresh(firstBatchTime);
  }

  /**
   * The sources have started from {@code start}, as {@link #open} returned it: a fresh start writes
   * its first generation, at the zero time, so that a recovery always has one; a recovery checks
   * that the input its replays read is still there.
   *
   * @throws InputMissingException if input a replayed batch reads is gone
   */
  public void started(StartPoint start) {
    if (start instanceof StartPoint.Recovered recovered) {
      checkReplayable(recovered);
      return;
    }
    checkpoint(graph.zeroTime(), sourceSnapshots());
    LOG.info(
        "'{}' checkpoints to {} every {} ms; the directory held no checkpoint, so it starts empty",
        graph.appName(),
        store.uri(),
        checkpointInterval);
  }

  private StartPoint recover(AppManifest manifest, long firstBatchTime, boolean coalesce) {
    checkCompatible(manifest);
    Generation generation = null;
    List<List<Object>> states = null;
    List<SkippedGeneration> fallbacks = new ArrayList<>();
    for (Generation candidate : store.validNewestFirst(fallbacks::add)) {
      try {
        states = readStates(candidate);
        generation = candidate;
        break;
      } catch (CheckpointException e) {
        fallbacks.add(new SkippedGeneration(candidate.batchTime(), e.getMessage()));
        LOG.warn(
            "checkpoint generation {} in {} cannot be restored ({}); trying an older one",
            candidate.batchTime(),
            store.uri(),
            e.getMessage());
      }
    }
    if (generation == null) {
      throw new CheckpointIncompatibleException(
          "checkpoint directory "
              + store.uri()
              + " has no readable generation (the warnings above name each damaged file), so the"
              + " state of '"
              + graph.appName()
              + "' cannot be restored. Restore the directory from a backup, or move it aside and"
              + " start with an empty one: the state is then lost.");
    }
    long at = generation.batchTime();
    graph.start(manifest.zeroTimeMillis());
    restoreState(generation, states);
    listeners.checkpointOpened(
        new CheckpointOpened(
            store.uri(), checkpointInterval, at, fallbacks, store.keptGenerations()));
    listeners.checkpointCompleted(at);

    List<byte[]> positions = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      byte[] position = generation.files().get(sourceFile(i));
      if (position == null) {
        throw missingFile(generation, sourceFile(i));
      }
      positions.add(position);
    }
    ReplayLog log = store.replayLogAfter(at);
    NavigableMap<Long, BatchPlan> logged = new TreeMap<>();
    NavigableMap<Long, List<byte[]>> planned = new TreeMap<>();
    for (BatchPlan plan : log.batches()) {
      planned.put(plan.batchTime(), requireInputs(plan, inputs.size()));
      logged.put(plan.batchTime(), plan);
    }
    UnplannedBatches unplanned =
        UnplannedBatches.find(
            at,
            batchInterval,
            planned,
            log.damaged().stream().map(DamagedPlan::batchTime).toList(),
            inputs,
            positions);
    // A batch without a plan still counts for windows and state, so it runs with empty input. A
    // graph without them needs nothing at its time, and its gap may be downtime a recovery ran as
    // one batch, however long: it is not run.
    boolean runsUnplanned = !stateful.isEmpty();
    if (!log.damaged().isEmpty()) {
      // Restarting cannot repair the file: stop with the documented code instead of looping.
      throw new CorruptBatchPlanException(
          log.damaged(), unplanned.adviceFor(log.damaged(), runsUnplanned));
    }
    reportSkipped(unplanned, log, runsUnplanned);
    long lastLogged = planned.isEmpty() ? at : planned.lastKey();
    for (long orphan : log.doneWithoutPlan().tailSet(lastLogged + 1)) {
      LOG.warn(
          "batch {} of '{}' is marked done in {} but its plan is gone, and no logged batch follows"
              + " it: it is planned again from its inputs, and its outputs run again",
          orphan,
          graph.appName(),
          store.uri());
      store.forgetDoneMark(orphan);
    }
    long next = lastLogged + batchInterval;
    if (coalesce && !stateful.isEmpty()) {
      LOG.warn(
          "'{}' has windows or updateStateByKey, so the batches missed while it was down run one"
              + " by one although coalescing was asked for: merging them would change windows"
              + " and state",
          graph.appName());
    } else if (coalesce && next < firstBatchTime - batchInterval) {
      LOG.info(
          "'{}' runs the batches from {} to {}, missed while it was down, as one batch",
          graph.appName(),
          next,
          firstBatchTime - batchInterval);
      next = firstBatchTime - batchInterval;
    }
    List<List<byte[]>> plansSince = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      plansSince.add(unplanned.plansForRecovery(i));
    }
    List<LoggedBatch> replays = new ArrayList<>();
    for (long time = at + batchInterval; time <= lastLogged; time += batchInterval) {
      BatchPlan plan = logged.get(time);
      if (plan == null && !runsUnplanned) {
        continue;
      }
      boolean done = plan == null ? log.doneWithoutPlan().contains(time) : log.isDone(time);
      replays.add(new LoggedBatch(time, Optional.ofNullable(plan), done));
    }
    long rerun = replays.stream().filter(r -> !r.outputsDone()).count();
    LOG.info(
        "'{}' recovered from checkpoint generation {} in {}: {} logged batches to replay ({} of"
            + " them with outputs not yet committed), then batches from {} on",
        graph.appName(),
        at,
        store.uri(),
        replays.size(),
        rerun,
        next);
    return new StartPoint.Recovered(next, positions, plansSince, replays);
  }

  /**
   * After the sources recovered: fails if input a replay reads is gone, then tells the sources
   * which generation is the oldest kept.
   */
  private void checkReplayable(StartPoint.Recovered recovered) {
    List<LoggedBatch> planned =
        recovered.replays().stream().filter(r -> r.plan().isPresent()).toList();
    for (LoggedBatch batch : planned) {
      checkReplayable(batch, batch == planned.get(planned.size() - 1));
    }
    store.oldestGeneration().ifPresent(this::oldestGenerationCommitted);
  }

  /**
   * The input plans of {@code plan}.
   *
   * @throws CheckpointIncompatibleException if it does not hold exactly {@code inputs} plans
   */
  static List<byte[]> requireInputs(BatchPlan plan, int inputs) {
    int count = plan.inputPlans().size();
    if (count != inputs) {
      throw new CheckpointIncompatibleException(
          "the logged plan of batch "
              + plan.batchTime()
              + " covers "
              + count
              + " input streams but the application defines "
              + inputs
              + "; run the build that wrote the checkpoint, or start from an empty checkpoint"
              + " directory");
    }
    return plan.inputPlans();
  }

  /**
   * Fails naming the input of {@code batch} that is gone, if its replay reads it: when its outputs
   * run again, or when windows or state are rebuilt from that input.
   */
  private void checkReplayable(LoggedBatch batch, boolean newest) {
    long time = batch.batchTime();
    BatchPlan plan = batch.plan().orElseThrow();
    for (int i = 0; i < inputs.size(); i++) {
      InputNode<?> input = inputs.get(i);
      if (batch.outputsDone() && !readByState.contains(input)) {
        continue;
      }
      try {
        input.source().checkReplayable(time, plan.inputPlan(i));
      } catch (InputMissingException e) {
        throw new InputMissingException(
            e.getMessage()
                + (batch.outputsDone()
                    ? " (windows or updateStateByKey read it again)"
                    : " (its outputs had not committed)")
                + ", or delete that batch's plan "
                + store.planLocation(time)
                + (newest
                    ? ": as no logged batch follows it, the batch is then planned again from the"
                        + " inputs, without the file that is gone."
                    : " to skip the batch: the recovery then runs it as if its input had been"
                        + " empty and logs which input it skipped."),
            e.getCause());
      }
    }
  }

  /** The inputs some window or state is computed from: a replay of a done batch reads them. */
  private static Set<StreamNode<?>> readByState(List<StatefulNode> stateful) {
    Set<StreamNode<?>> ancestors = new HashSet<>();
    Deque<StreamNode<?>> pending = new ArrayDeque<>();
    for (StatefulNode node : stateful) {
      pending.push((StreamNode<?>) node);
    }
    while (!pending.isEmpty()) {
      StreamNode<?> node = pending.pop();
      if (ancestors.add(node)) {
        node.parents().forEach(pending::push);
      }
    }
    return ancestors;
  }

  /**
   * One warning per run of batches without a plan, naming what each input skips; in a stateless
   * graph, a run that skips nothing (perhaps downtime run as one batch) is only noted.
   */
  private void reportSkipped(UnplannedBatches unplanned, ReplayLog log, boolean runsUnplanned) {
    for (UnplannedBatches.Run run : unplanned.runs()) {
      if (!runsUnplanned && run.skipsNothing()) {
        LOG.info(
            "the batch log in {} has no plan for {}, which took no input (downtime a recovery ran"
                + " as one batch, or an empty batch whose plan was deleted): nothing to replay",
            store.uri(),
            run.batches());
        continue;
      }
      boolean allDone = true;
      for (long t = run.first(); t <= run.last(); t += batchInterval) {
        allDone &= log.doneWithoutPlan().contains(t);
      }
      LOG.warn(
          "{} of '{}' {} no plan in the batch log {}, which holds later batches: {} plan was"
              + " deleted, as an error about a damaged plan advises. {} {}; skipped: {}",
          run.batches(),
          graph.appName(),
          run.first() == run.last() ? "has" : "have",
          store.uri(),
          run.first() == run.last() ? "its" : "their",
          runsUnplanned
              ? "It runs as if its input had been empty"
              : "It is not run again and its input is not read",
          runsUnplanned
              ? (allDone
                  ? "(its outputs had committed and are kept)"
                  : "(outputs not yet committed run on that empty input)")
              : "(the graph has no windows or state that would need it)",
          unplanned.describe(run));
    }
  }

  private void checkCompatible(AppManifest manifest) {
    if (manifest.batchIntervalMillis() != batchInterval) {
      throw new CheckpointIncompatibleException(
          "checkpoint directory "
              + store.uri()
              + " was written with a batch interval of "
              + manifest.batchIntervalMillis()
              + " ms, but '"
              + graph.appName()
              + "' now runs with "
              + batchInterval
              + " ms; batch times and windows would not line up. Run with the old interval, or"
              + " start from an empty checkpoint directory (the state is then lost).");
    }
    List<String> now = fingerprint(graph);
    List<String> then = manifest.statefulOperators();
    if (!now.equals(then)) {
      throw new CheckpointIncompatibleException(
          "checkpoint directory "
              + store.uri()
              + " was written by a graph with "
              + describe(then)
              + ", but this build of '"
              + graph.appName()
              + "' defines "
              + describe(now)
              + firstDifference(then, now)
              + ". Restoring would put state into the wrong operators. Run the build that wrote"
              + " the checkpoint (changing stateless operators such as map or filter is fine), or"
              + " start from an empty checkpoint directory (the state is then lost; move the old"
              + " one aside rather than deleting it).");
    }
  }

  private static String describe(List<String> fingerprint) {
    return fingerprint.isEmpty() ? "no inputs or stateful operators" : fingerprint.toString();
  }

  private static String firstDifference(List<String> then, List<String> now) {
    for (int i = 0; i < Math.max(then.size(), now.size()); i++) {
      String a = i < then.size() ? then.get(i) : "nothing";
      String b = i < now.size() ? now.get(i) : "nothing";
      if (!a.equals(b)) {
        return " (entry " + (i + 1) + " was '" + a + "' and is now '" + b + "')";
      }
    }
    return "";
  }

  /**
   * Each stateful operator's snapshot records in {@code generation}, parts written by executors
   * read back.
   *
   * @throws CheckpointException if a part is missing or damaged: an older generation may do
   */
  private List<List<Object>> readStates(Generation generation) {
    List<List<Object>> states = new ArrayList<>();
    for (int i = 0; i < stateful.size(); i++) {
      byte[] bytes = generation.files().get(stateFile(i));
      if (bytes == null) {
        throw missingFile(generation, stateFile(i));
      }
      states.add(StateParts.resolve(codec.decode(bytes), store, codec, p -> true));
    }
    return states;
  }

  private void restoreState(Generation generation, List<List<Object>> states) {
    List<Integer> order = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < stateful.size(); i++) {
        if (stateful.get(i).restoresParentBatches() == (pass == 1)) {
          order.add(i);
        }
      }
    }
    for (int i : order) {
      stateful.get(i).restore(generation.batchTime(), states.get(i));
    }
  }

  private CheckpointIncompatibleException missingFile(Generation generation, String name) {
    return new CheckpointIncompatibleException(
        "checkpoint generation "
            + generation.batchTime()
            + " in "
            + store.uri()
            + " has no file "
            + name
            + " although its manifest matches this graph; the directory was changed by hand."
            + " Restore it from a backup or start from an empty one.");
  }

  /** Logs {@code plan}, just built by the generator, before its batch runs. */
  public void recordPlan(BatchPlan plan) {
    store.recordPlan(plan);
  }

  /** Whether a generation is written after batch {@code time}. */
  public boolean isCheckpointTime(long time) {
    return Math.floorMod(time - graph.zeroTime(), checkpointInterval) == 0;
  }

  /** Every source's position now; call right after the take of a checkpoint batch. */
  public List<byte[]> sourceSnapshots() {
    List<byte[]> positions = new ArrayList<>(inputs.size());
    for (InputNode<?> input : inputs) {
      positions.add(input.source().snapshot());
    }
    return positions;
  }

  /**
   * Batch {@code time}'s outputs have committed: marks it done and, given the sources' positions
   * after its take, writes a generation and drops the log up to it.
   */
  public void completed(long time, Optional<List<byte[]>> sourcePositions) {
    store.markDone(time);
    sourcePositions.ifPresent(positions -> checkpoint(time, positions));
  }

  /**
   * Writes a generation for batch {@code time}, which has completed, with the sources' positions
   * after their latest take, and drops the log up to it: the final checkpoint of a graceful stop.
   */
  public void checkpoint(long time, List<byte[]> sourcePositions) {
    CheckpointInfo info = writeGeneration(time, sourcePositions);
    written.put(time, sourcePositions);
    listeners.checkpointWritten(info);
    listeners.checkpointCompleted(time);
    // Recovery may fall back past a damaged generation to any older one kept, and then replays
    // the log from there: keep the log, and the sources' logs, back to the oldest generation.
    OptionalLong oldest = store.oldestGeneration();
    if (oldest.isPresent()) {
      store.forgetBatchesUpTo(oldest.getAsLong());
      written.headMap(oldest.getAsLong()).clear();
      oldestGenerationCommitted(oldest.getAsLong());
    }
  }

  /**
   * Tells each source that the generation of batch {@code oldest}, the oldest kept, is committed,
   * with its position in it: input before that is never replayed again. The positions of a
   * generation an earlier driver wrote are read back from it, so that a driver restarted often
   * still lets its sources remove what is covered; if they cannot be read, the sources hear of the
   * next oldest generation instead, later.
   */
  private void oldestGenerationCommitted(long oldest) {
    List<byte[]> positions = written.get(oldest);
    if (positions == null) {
      positions = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        Optional<byte[]> position = store.readGenerationFile(oldest, sourceFile(i));
        if (position.isEmpty()) {
          return;
        }
        positions.add(position.get());
      }
      written.put(oldest, positions);
    }
    for (int i = 0; i < inputs.size(); i++) {
      inputs.get(i).source().checkpointCommitted(oldest, positions.get(i));
    }
  }

  /** Moves every stateful operator to batch {@code time}, whose outputs a replay skips. */
  public void advance(long time) {
    for (StatefulNode node : stateful) {
      node.advance(time, runner);
    }
  }

  private CheckpointInfo writeGeneration(long time, List<byte[]> sourcePositions) {
    long started = System.nanoTime();
    Map<String, byte[]> files = new LinkedHashMap<>();
    Map<String, Long> stateBytes = new LinkedHashMap<>();
    Map<String, Long> stateRecords = new LinkedHashMap<>();
    for (int i = 0; i < stateful.size(); i++) {
      StateSnapshot snapshot = stateful.get(i).snapshot(time, runner);
      byte[] encoded = codec.encode(snapshot.records());
      files.put(stateFile(i), encoded);
      String name = ((StreamNode<?>) stateful.get(i)).name();
      // With executors owning its partitions, the state is in their part files.
      stateBytes.put(name, encoded.length + snapshot.ownedBytes());
      if (snapshot.keys() >= 0) {
        stateRecords.put(name, snapshot.keys());
      }
    }
    for (int i = 0; i < inputs.size(); i++) {
      files.put(sourceFile(i), sourcePositions.get(i));
    }
    store.writeGeneration(time, files);
    long bytes = files.values().stream().mapToLong(b -> b.length).sum();
    long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    LOG.debug(
        "'{}' checkpointed batch {}: {} bytes in {} ms", graph.appName(), time, bytes, durationMs);
    return new CheckpointInfo(time, durationMs, bytes, stateBytes, stateRecords);
  }

  /** The generation file holding the snapshot of the {@code i}-th stateful stream. */
  static String stateFile(int i) {
    return "state-" + i;
  }

  private static String sourceFile(int i) {
    return "source-" + i;
  }
}
