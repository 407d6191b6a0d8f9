package dev.millrace.yarn;

import dev.millrace.yarn.AmLedger.Role;
import org.apache.hadoop.yarn.api.records.Container;

/**
 * A container this ApplicationMaster launched or adopted, and what it runs: a driver attempt or an
 * executor. Mutable by the supervision thread only.
 */
final class RunningContainer {
  final Container container;
  final Role role;
  // Set once this AM asked the container to end, so its exit is classed as requested.
  boolean endRequested;

  RunningContainer(Container container, Role role) {
    this.container = container;
    this.role = role;
  }

  boolean isDriver() {
    return role.isDriver();
  }

  boolean runsDriver(int attempt) {
    return role.isDriver() && role.driverAttempt() == attempt;
  }
}
