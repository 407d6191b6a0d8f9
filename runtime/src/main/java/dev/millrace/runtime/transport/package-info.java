/**
 * The driver-executor wire: Netty connections, the messages and their codec. May use: Netty and the
 * names of what it carries (e.g. shuffle ids); nothing that runs batches.
 */
package dev.millrace.runtime.transport;
