package dev.millrace.yarn;

import dev.millrace.yarn.AmLedger.Role;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;

/**
 * The ApplicationMaster's side of the ResourceManager's container requests, as Spark's {@code
 * YarnAllocator} is: asks for a container per driver attempt and per executor, matches each
 * allocated container to what was asked (by priority: the driver's outranks the executors'), and
 * gives back what YARN allocated beyond that. YARN's requests carry no identity, so which executor
 * a container runs is decided here, first asked first served. Owned by the supervision thread.
 */
final class ContainerAllocator {
  private static final Priority DRIVER_PRIORITY = Priority.newInstance(0);
  private static final Priority EXECUTOR_PRIORITY = Priority.newInstance(1);

  /**
   * An allocated container matched to what it will run.
   *
   * @param freshCheckpoint for a driver: start it with an empty checkpoint
   */
  record Allocation(Container container, Role role, boolean freshCheckpoint) {}

  private final AMRMClientAsync<ContainerRequest> resourceManager;
  private final Resource driverResource;
  private final Resource executorResource;
  private final Queue<String> pendingExecutors = new ArrayDeque<>();
  private Integer pendingDriverAttempt;
  private boolean freshCheckpoint;

  ContainerAllocator(
      AMRMClientAsync<ContainerRequest> resourceManager,
      Resource driverResource,
      Resource executorResource) {
    this.resourceManager = resourceManager;
    this.driverResource = driverResource;
    this.executorResource = executorResource;
  }

  /** Asks for a container for driver {@code attempt}. */
  void requestDriver(int attempt, boolean freshCheckpoint) {
    this.pendingDriverAttempt = attempt;
    this.freshCheckpoint = freshCheckpoint;
    resourceManager.addContainerRequest(request(driverResource, DRIVER_PRIORITY));
  }

  /** Asks for a container for executor {@code executorId}. */
  void requestExecutor(String executorId) {
    pendingExecutors.add(executorId);
    resourceManager.addContainerRequest(request(executorResource, EXECUTOR_PRIORITY));
  }

  /**
   * Withdraws the request for executor {@code executorId}; false if none is outstanding (its
   * container was allocated already, or it was never asked for).
   */
  boolean cancelExecutor(String executorId) {
    if (!pendingExecutors.remove(executorId)) {
      return false;
    }
    resourceManager.removeContainerRequest(request(executorResource, EXECUTOR_PRIORITY));
    return true;
  }

  /**
   * Matches {@code container} to the request it answers and withdraws that request, so YARN does
   * not allocate it again; empty if nothing asked for it, and then it is given back.
   */
  Optional<Allocation> allocated(Container container) {
    int priority = container.getPriority().getPriority();
    if (priority == DRIVER_PRIORITY.getPriority() && pendingDriverAttempt != null) {
      int attempt = pendingDriverAttempt;
      pendingDriverAttempt = null;
      resourceManager.removeContainerRequest(request(driverResource, DRIVER_PRIORITY));
      return Optional.of(new Allocation(container, Role.driver(attempt), freshCheckpoint));
    }
    if (priority == EXECUTOR_PRIORITY.getPriority() && !pendingExecutors.isEmpty()) {
      String id = pendingExecutors.poll();
      resourceManager.removeContainerRequest(request(executorResource, EXECUTOR_PRIORITY));
      return Optional.of(new Allocation(container, Role.executor(id), false));
    }
    // YARN may allocate more than was asked: give the extra back.
    release(container.getId());
    return Optional.empty();
  }

  /** Gives {@code container} back to YARN. */
  void release(ContainerId container) {
    resourceManager.releaseAssignedContainer(container);
  }

  private static ContainerRequest request(Resource resource, Priority priority) {
    return new ContainerRequest(resource, null, null, priority);
  }
}
