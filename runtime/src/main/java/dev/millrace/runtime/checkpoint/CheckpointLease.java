package dev.millrace.runtime.checkpoint;

import dev.millrace.runtime.checkpoint.CheckpointLayout.LeaseFile;
import dev.millrace.runtime.checkpoint.LeaseDecision.Observed;
import dev.millrace.runtime.checkpoint.LeaseDecision.Refuse;
import dev.millrace.runtime.checkpoint.LeaseDecision.Take;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.ipc.RemoteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One driver's lease on a checkpoint directory, kept in the directory itself so that it holds on
 * every Hadoop file system and whichever backend (or none) started the driver: at most one driver
 * writes a checkpoint.
 *
 * <p>The lease is a sequence of epochs under {@code <dir>/lease/} (names in {@link
 * CheckpointLayout}). A driver reads the newest epoch's file, asks {@link LeaseDecision} whether it
 * may take over, and creates the next epoch's file with create-if-absent semantics: {@code
 * CREATE_NEW} on local paths (Hadoop's raw local {@code create(overwrite=false)} checks, then
 * creates) and {@code create(overwrite=false)} elsewhere, which the HDFS name node does atomically.
 * Of two drivers taking the same epoch, one wins; the other reads again and is refused. The highest
 * epoch holds the lease. The holder renews it from a background thread every third of its timeout
 * (a marker file renamed to its new time, so nothing is rewritten in place and a vanished directory
 * is never recreated), releases it when its context stops, and leaves the previous epoch's file for
 * the record.
 *
 * <p>Fencing: before each write the store calls {@link #checkHeld()}, which lists the small lease
 * directory once: a higher epoch means another driver took over ({@link CheckpointInUseException});
 * no file of its own epoch, or none with its lease's random token (in the renewal marker's name),
 * means the directory was deleted, moved or replaced ({@link CheckpointVanishedException}): a
 * directory made again counts its epochs from 1 again, so the epoch alone would not tell. The
 * renewal thread makes the same check and reports a loss through {@code onLost}, so an idle driver
 * stops too.
 *
 * <p>What is not covered, honestly: the check and the write that follows are two operations, and no
 * Hadoop file system offers a write conditional on another file. A write that passed its check just
 * before another driver took over still lands: a plan, a done mark, or the files of one generation,
 * usually within milliseconds of the takeover, but later if the old driver was paused (a long GC, a
 * partitioned node) between check and write. The new driver may then find one stray plan or
 * generation of the old one; a directory deleted in that gap can get back the one file or
 * generation being written (without a manifest). A socket receiver's appends to its write-ahead log
 * are not checked one by one: they end with the context, at its next batch or renewal. On object
 * stores whose create-if-absent is a check followed by a put, two drivers starting within that gap
 * could both take the same epoch. Liveness compares the holder's clock (renewal times) with the
 * reader's: hosts' clocks must agree to well within the lease timeout.
 */
public final class CheckpointLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointLease.class);
  // A lease file read while its writer is still writing it is incomplete for a few milliseconds.
  private static final int READ_ATTEMPTS = 10;
  private static final long READ_RETRY_MILLIS = 20;
  private static final int TAKE_ATTEMPTS = 10;
  private static final Set<String> EXISTS_REMOTELY =
      Set.of(
          "org.apache.hadoop.fs.FileAlreadyExistsException",
          "org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException");

  /**
   * What a driver brings to take a lease.
   *
   * @param claimant the driver
   * @param timeout how long without a renewal before its lease lapses
   * @param clock the wall clock renewals and lapses are measured on
   * @param onLost hears, once, that the renewal thread found the lease taken over or the directory
   *     gone
   */
  public record Request(
      LeaseClaimant claimant, Duration timeout, Clock clock, Consumer<CheckpointException> onLost) {
    /** Rejects nulls and a timeout under one second. */
    public Request {
      Objects.requireNonNull(claimant, "claimant");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(onLost, "onLost");
      if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "the checkpoint lease timeout is "
                + timeout.toMillis()
                + " ms; it must be at least 1 s, and well above the time a renewal takes");
      }
    }
  }

  private final FileSystem fs;
  private final Path leaseDirectory;
  private final String directoryUri;
  private final Request request;
  private final LeaseHolder holder;
  // In the renewal marker's name: tells this lease from epoch holder.epoch() of a directory that
  // was deleted and made again, whose epochs count from 1 again.
  private final long token;
  private final ScheduledExecutorService renewals;
  // Written by the renewal thread; read by every writer's check.
  private volatile CheckpointException lost;
  private volatile boolean closed;
  // Set before the renewal thread starts, then owned by it.
  private Path renewedMarker;

  private CheckpointLease(
      FileSystem fs,
      Path leaseDirectory,
      String directoryUri,
      Request request,
      LeaseHolder holder,
      long token) {
    this.fs = fs;
    this.leaseDirectory = leaseDirectory;
    this.directoryUri = directoryUri;
    this.request = request;
    this.holder = holder;
    this.token = token;
    this.renewals =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "millrace-checkpoint-lease");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Takes the lease of the checkpoint directory {@code root} on {@code fs} ({@code directoryUri}
   * names it in messages) and starts renewing it.
   *
   * @throws CheckpointInUseException if another driver holds it
   * @throws CheckpointException if the lease directory cannot be read or written
   */
  static CheckpointLease acquire(FileSystem fs, Path root, String directoryUri, Request request) {
    Path leaseDirectory = new Path(root, CheckpointLayout.LEASE);
    try {
      if (!fs.mkdirs(leaseDirectory)) {
        throw new IOException("mkdirs returned false");
      }
      for (int round = 0; round < TAKE_ATTEMPTS; round++) {
        Listing listing = Listing.of(fs, leaseDirectory);
        Optional<Observed> newest = observeNewest(fs, leaseDirectory, listing);
        long now = request.clock().millis();
        LeaseDecision decision =
            LeaseDecision.decide(
                newest,
                request.claimant(),
                request.timeout().toMillis(),
                now,
                LeaseDecision.ProcessProbe.thisMachine());
        if (decision instanceof Refuse refuse) {
          throw new CheckpointInUseException(refuse.message(directoryUri, request.claimant()));
        }
        Take take = (Take) decision;
        LeaseHolder holder =
            new LeaseHolder(
                take.epoch(), request.claimant(), now, request.timeout().toMillis(), take.why());
        Path file = new Path(leaseDirectory, CheckpointLayout.leaseName(take.epoch()));
        if (createIfAbsent(fs, file, holder.toBytes())) {
          // Not SecureRandom: initialising it costs tens of milliseconds of every restart, and the
          // token need only differ from another driver's, never be unguessable.
          long token = ThreadLocalRandom.current().nextLong() ^ ProcessHandle.current().pid();
          CheckpointLease lease =
              new CheckpointLease(fs, leaseDirectory, directoryUri, request, holder, token);
          lease.renewedMarker =
              new Path(leaseDirectory, CheckpointLayout.renewedName(take.epoch(), now, token));
          createIfAbsent(fs, lease.renewedMarker, new byte[0]);
          lease.forgetEpochsBefore(take.epoch() - 1, listing);
          lease.startRenewing();
          LOG.info(
              "took the lease of checkpoint directory {} as epoch {}: {}",
              directoryUri,
              take.epoch(),
              take.why());
          return lease;
        }
        LOG.info(
            "another driver took lease epoch {} of {} at the same moment; reading it again",
            take.epoch(),
            directoryUri);
      }
    } catch (IOException e) {
      throw new CheckpointException(
          "Could not take the lease of checkpoint directory "
              + directoryUri
              + " at "
              + leaseDirectory
              + ": "
              + e
              + ". Check that the directory is writable and its file system reachable.",
          e);
    }
    throw new CheckpointInUseException(
        "checkpoint directory "
            + directoryUri
            + ": other drivers took "
            + TAKE_ATTEMPTS
            + " lease epochs in a row while this one tried to take one; several drivers are"
            + " starting on it at once. Run one driver per checkpoint directory.");
  }

  /** The epoch this driver holds and what its lease file says. */
  public LeaseHolder holder() {
    return holder;
  }

  /**
   * Checks that this driver still holds the lease, before it writes: one listing of the lease
   * directory.
   *
   * @throws CheckpointInUseException if another driver took it over: write nothing more
   * @throws CheckpointVanishedException if the checkpoint directory or this lease's file is gone
   * @throws CheckpointException if the lease directory cannot be read
   */
  public void checkHeld() {
    CheckpointException alreadyLost = lost;
    if (alreadyLost != null) {
      throw alreadyLost;
    }
    Listing listing;
    try {
      listing = Listing.of(fs, leaseDirectory);
    } catch (FileNotFoundException e) {
      throw lose(vanished("its lease directory " + leaseDirectory + " is gone", e));
    } catch (IOException e) {
      throw new CheckpointException(
          "Could not check the lease of checkpoint directory "
              + directoryUri
              + " at "
              + leaseDirectory
              + ": "
              + e
              + ". Check that its file system is reachable.",
          e);
    }
    long newest = listing.newestEpoch().orElse(0L);
    if (newest > holder.epoch()) {
      throw lose(fenced(newest));
    }
    if (!listing.holders().containsKey(holder.epoch())
        || !listing.tokens().getOrDefault(holder.epoch(), Set.of()).contains(token)) {
      throw lose(
          vanished(
              "the files of this driver's lease epoch "
                  + holder.epoch()
                  + " are gone from "
                  + leaseDirectory
                  + " (any there now are another driver's)",
              null));
    }
  }

  /**
   * Records the lease as lost, once: every later check throws the first finding without I/O, and
   * the renewal thread reports it and ends.
   */
  private CheckpointException lose(CheckpointException finding) {
    synchronized (this) {
      if (lost == null) {
        lost = finding;
      }
      return lost;
    }
  }

  /**
   * Stops renewing and, if this driver still holds the lease, releases it: the next driver takes it
   * at once. Never throws; a lease that cannot be released lapses after its timeout.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    renewals.shutdownNow();
    try {
      renewals.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (lost != null) {
      return;
    }
    try {
      checkHeld();
      createIfAbsent(
          fs, new Path(leaseDirectory, CheckpointLayout.releasedName(holder.epoch())), new byte[0]);
      LOG.info("released lease epoch {} of checkpoint directory {}", holder.epoch(), directoryUri);
    } catch (CheckpointInUseException | CheckpointVanishedException e) {
      LOG.info(
          "lease epoch {} of checkpoint directory {} was no longer this driver's when it stopped;"
              + " nothing to release",
          holder.epoch(),
          directoryUri);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "could not release lease epoch {} of checkpoint directory {} ({}); the next driver takes"
              + " it when it lapses, {} after this one's last renewal",
          holder.epoch(),
          directoryUri,
          e.toString(),
          request.timeout());
    }
  }

  private void startRenewing() {
    long period = Math.max(10, request.timeout().toMillis() / 3);
    renewals.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
  }

  /** On the renewal thread: checks the lease and moves its renewal marker to now. */
  private void renew() {
    try {
      checkHeld();
    } catch (CheckpointInUseException | CheckpointVanishedException e) {
      renewals.shutdown();
      if (!closed) {
        LOG.error("{}", e.getMessage());
        request.onLost().accept(e);
      }
      return;
    } catch (CheckpointException e) {
      LOG.warn("could not renew the checkpoint lease: {}; trying again", e.getMessage());
      return;
    }
    Path next =
        new Path(
            leaseDirectory,
            CheckpointLayout.renewedName(holder.epoch(), request.clock().millis(), token));
    try {
      // A rename never creates a missing parent: a deleted directory stays deleted.
      if (!fs.rename(renewedMarker, next)) {
        createIfAbsent(fs, next, new byte[0]);
      }
      renewedMarker = next;
    } catch (IOException e) {
      LOG.warn(
          "could not renew lease epoch {} of {} ({}); trying again",
          holder.epoch(),
          directoryUri,
          e.toString());
    }
  }

  /** Deletes the files of epochs older than {@code epoch}, quietly: they only keep history. */
  private void forgetEpochsBefore(long epoch, Listing listing) {
    for (Map.Entry<Long, Set<Path>> old : listing.files().headMap(epoch).entrySet()) {
      for (Path path : old.getValue()) {
        try {
          fs.delete(path, false);
        } catch (IOException e) {
          LOG.debug("could not delete old lease file {}: {}", path, e.toString());
        }
      }
    }
  }

  private CheckpointInUseException fenced(long newest) {
    String taker;
    try {
      taker =
          readHolder(fs, new Path(leaseDirectory, CheckpointLayout.leaseName(newest)))
              .map(h -> h.describe() + " took it over because " + h.takeover())
              .orElse("a driver whose lease file cannot be read took it over as epoch " + newest);
    } catch (IOException e) {
      taker = "another driver took it over as epoch " + newest;
    }
    return new CheckpointInUseException(
        "this driver ("
            + holder.driver().describe()
            + ") lost the lease of checkpoint directory "
            + directoryUri
            + " (its epoch "
            + holder.epoch()
            + "): "
            + taker
            + ". It stops and writes nothing more, so that one driver writes the checkpoint. Nothing"
            + " to do if the other driver is the one meant to run (a restart of this application);"
            + " otherwise stop that one and start this one again.");
  }

  private CheckpointVanishedException vanished(String what, Throwable cause) {
    return new CheckpointVanishedException(
        "checkpoint directory "
            + directoryUri
            + " vanished while the driver was running: "
            + what
            + " (deleted, moved or replaced). The driver stops without writing to it: a checkpoint"
            + " rewritten from memory would not match what was already output. Lost with it: the"
            + " state of the stateful operators, the input positions (files already read, socket"
            + " lines logged but not yet checkpointed) and the log of planned batches. To resume,"
            + " restore the directory from a backup and start again; to begin afresh, start again"
            + " without it: the application then starts empty, and a file stream ignores the"
            + " files already in its directory.",
        cause);
  }

  /**
   * The driver that the newest epoch of the lease directory {@code leaseDirectory} names: the
   * holder, for a writer beside the engine that holds no lease of its own. Empty if there is no
   * lease yet, or its file cannot be read whole.
   */
  static Optional<LeaseClaimant> newestHolder(FileSystem fs, Path leaseDirectory)
      throws IOException {
    Listing listing;
    try {
      listing = Listing.of(fs, leaseDirectory);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    return observeNewest(fs, leaseDirectory, listing)
        .flatMap(Observed::holder)
        .map(LeaseHolder::driver);
  }

  /** The newest epoch of {@code listing}, read, or empty if there is none. */
  private static Optional<Observed> observeNewest(
      FileSystem fs, Path leaseDirectory, Listing listing) throws IOException {
    if (listing.newestEpoch().isEmpty()) {
      return Optional.empty();
    }
    long epoch = listing.newestEpoch().get();
    FileStatus file = listing.holders().get(epoch);
    Optional<LeaseHolder> holder;
    try {
      holder = readHolder(fs, file.getPath());
    } catch (FileNotFoundException e) {
      // Deleted since the listing: by the cleanup of a driver that took a newer epoch. The next
      // round's listing sees that one.
      holder = Optional.empty();
    }
    long renewed =
        Math.max(
            listing.renewedAt().getOrDefault(epoch, 0L),
            holder.map(LeaseHolder::acquiredAtMillis).orElse(file.getModificationTime()));
    return Optional.of(new Observed(epoch, holder, renewed, listing.released().contains(epoch)));
  }

  /** The lease file at {@code path}, or empty if it stays incomplete or malformed. */
  private static Optional<LeaseHolder> readHolder(FileSystem fs, Path path) throws IOException {
    MalformedFileException last = null;
    for (int i = 0; i < READ_ATTEMPTS; i++) {
      byte[] bytes;
      try (FSDataInputStream in = fs.open(path)) {
        bytes = in.readAllBytes();
      }
      try {
        return Optional.of(LeaseHolder.fromBytes(bytes));
      } catch (MalformedFileException e) {
        last = e;
      }
      try {
        Thread.sleep(READ_RETRY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    LOG.warn(
        "lease file {} cannot be read: {}", path, last == null ? "interrupted" : last.getMessage());
    return Optional.empty();
  }

  /**
   * Creates {@code path} with {@code bytes} unless it exists, never creating its parent.
   *
   * @return false if it existed
   */
  private static boolean createIfAbsent(FileSystem fs, Path path, byte[] bytes) throws IOException {
    if (fs instanceof RawLocalFileSystem local) {
      java.nio.file.Path file = local.pathToFile(path).toPath();
      try (OutputStream out =
          Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(bytes);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException(file.getParent() + " does not exist");
      }
    }
    try (FSDataOutputStream out = fs.createFile(path).overwrite(false).build()) {
      out.write(bytes);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (RemoteException e) {
      // HDFS reports a file that another client is still writing as being created, not as existing.
      if (EXISTS_REMOTELY.contains(e.getClassName())) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The files of a lease directory by epoch.
   *
   * @param holders each epoch's lease file
   * @param renewedAt each epoch's newest renewal marker's time
   * @param tokens the tokens in each epoch's renewal markers
   * @param released the epochs with a release marker
   * @param files every file of each epoch
   */
  private record Listing(
      TreeMap<Long, FileStatus> holders,
      Map<Long, Long> renewedAt,
      Map<Long, Set<Long>> tokens,
      Set<Long> released,
      TreeMap<Long, Set<Path>> files) {

    static Listing of(FileSystem fs, Path leaseDirectory) throws IOException {
      Listing listing =
          new Listing(
              new TreeMap<>(), new HashMap<>(), new HashMap<>(), new HashSet<>(), new TreeMap<>());
      for (FileStatus status : fs.listStatus(leaseDirectory)) {
        Optional<LeaseFile> parsed = CheckpointLayout.leaseFile(status.getPath().getName());
        if (parsed.isEmpty()) {
          continue;
        }
        LeaseFile file = parsed.get();
        listing.files().computeIfAbsent(file.epoch(), e -> new HashSet<>()).add(status.getPath());
        if (file instanceof LeaseFile.Holder) {
          listing.holders().put(file.epoch(), status);
        } else if (file instanceof LeaseFile.Renewed renewed) {
          listing.renewedAt().merge(renewed.epoch(), renewed.atMillis(), Math::max);
          listing
              .tokens()
              .computeIfAbsent(renewed.epoch(), e -> new HashSet<>())
              .add(renewed.token());
        } else {
          listing.released().add(file.epoch());
        }
      }
      return listing;
    }

    Optional<Long> newestEpoch() {
      return holders.isEmpty() ? Optional.empty() : Optional.of(holders.lastKey());
    }
  }
}
