/**
 * Output of batches: the text file batch writer that saves each batch exactly once. May use: {@code
 * fs}, {@code config}, {@code dataset} and {@code task}.
 */
package dev.millrace.runtime.sink;
