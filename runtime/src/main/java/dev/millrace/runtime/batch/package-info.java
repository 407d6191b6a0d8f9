/**
 * A batch's input plan as one value: built once when the batch is generated, logged as it is,
 * queued with the batch, and read by everything that rebuilds the batch's input (replay after a
 * recovery, executors running map tasks). Depends on nothing else in the runtime.
 */
package dev.millrace.runtime.batch;
