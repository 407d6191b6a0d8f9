package dev.millrace.runtime.driver;

import dev.millrace.runtime.launch.Flags;
import dev.millrace.runtime.launch.UsageException;
import java.nio.file.Path;
import java.util.List;

/**
 * How a backend starts a driver, the same flags on every backend ({@link DriverFlags} declares
 * them).
 *
 * @param spec the StreamingApp YAML file
 * @param attempt the driver attempt, counted by the backend from 1; reported in the status
 * @param bindAddress the address the status endpoint and the executor port listen on: {@value
 *     #LOOPBACK} unless the backend says otherwise, so that a driver on a developer's machine is
 *     not reachable from the network; a backend whose executors or supervisor run on other hosts
 *     (pods, YARN containers) passes {@code 0.0.0.0}
 * @param httpPort the port of the status endpoint; 0 picks a free one
 * @param addressFile where to write the endpoint's {@code host:port} once it listens, or null
 * @param supervisorPid a local supervisor's process id, or null: the driver stops gracefully when
 *     that process ends, so a supervisor that dies never leaves a driver nobody watches (and a new
 *     supervisor never runs a second driver on the same checkpoint)
 * @param executorPort the port executors register on; 0 picks a free one. A backend that restarts
 *     the driver passes a fixed port, so that running executors find the restarted driver
 * @param executorAddressFile where to write the executor endpoint's {@code host:port} once it
 *     listens, or null
 * @param freshCheckpoint move the checkpoint directory aside and start without state ({@code
 *     upgradeMode: stateless}); only the attempt the Supervisor launches so gets it
 * @param supervisionId which supervisor launched the driver (one id for every attempt it launches),
 *     or null: a newer attempt of the same supervisor takes the checkpoint's lease over from an
 *     older one at once, fencing it, while any other driver is refused as long as the holder's
 *     lease is live
 */
public record DriverOptions(
    Path spec,
    int attempt,
    String bindAddress,
    int httpPort,
    Path addressFile,
    Long supervisorPid,
    int executorPort,
    Path executorAddressFile,
    boolean freshCheckpoint,
    String supervisionId) {

  /** Where a driver listens unless told otherwise: this machine only. */
  public static final String LOOPBACK = "127.0.0.1";

  /**
   * Reads the options in {@code args}, as {@link DriverFlags} declares them.
   *
   * @throws UsageException if one is missing, unknown or out of range
   */
  public static DriverOptions parse(List<String> args) {
    return Flags.parse(new DriverFlags(), args).options();
  }
}
