/**
 * The logs Millrace writes itself: rolling log files with size and count limits. May use: nothing
 * of the engine.
 */
package dev.millrace.runtime.logs;
