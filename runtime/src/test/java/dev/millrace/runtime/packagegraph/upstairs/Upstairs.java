package dev.millrace.runtime.packagegraph.upstairs;

import dev.millrace.runtime.packagegraph.downstairs.Downstairs;

/** Half of the cycle PackageGraphTest must report: it uses the package below. */
public final class Upstairs {
  public Downstairs below() {
    return new Downstairs();
  }
}
