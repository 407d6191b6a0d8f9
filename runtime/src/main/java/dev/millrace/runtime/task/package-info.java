/**
 * Running tasks: the fixed thread pool that computes a batch's partitions ({@code local[N]}), and
 * the failure of a task. May use: {@code dataset} and the stage types of {@code shuffle} and {@code
 * state} that it runs.
 */
package dev.millrace.runtime.task;
