package dev.millrace.runtime.packagegraph.downstairs;

import dev.millrace.runtime.packagegraph.upstairs.Upstairs;

/** The other half: the package below reaches back up, which closes the cycle. */
public final class Downstairs {
  public Upstairs above() {
    return new Upstairs();
  }
}
