/**
 * Input: the sources a batch takes its records from (text files, an application's {@code Source},
 * receivers (an application's {@code Receiver}, the socket stream's) run by {@code ReceiverInput}
 * with their received-record ledger and write-ahead log, queues), their positions, plans and
 * recovery. May use: {@code fs} and {@code checkpoint} for files, {@code backpressure} for pacing,
 * {@code codec} and {@code config}, {@code dataset} for what a batch takes; never the scheduler or
 * streams.
 */
package dev.millrace.runtime.source;
