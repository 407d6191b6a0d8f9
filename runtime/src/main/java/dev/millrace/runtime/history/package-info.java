/**
 * What the driver's UI and REST API show of past batches: the last batches of this and earlier
 * driver attempts ({@code BatchHistory}, a listener), kept in the checkpoint directory ({@code
 * HistoryStore}) by a thread of its own ({@code HistoryWriter}) so that a restarted driver still
 * shows them. May use: the user's API's listener events ({@code streaming}), the engine's trace of
 * a batch's stages ({@code scheduler.BatchTraceListener}, {@code task.StageInfo}) and file access
 * ({@code fs}); the driver wires it, never the engine.
 */
package dev.millrace.runtime.history;
