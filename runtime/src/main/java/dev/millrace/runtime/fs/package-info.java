/**
 * File access for sources and sinks: one interface over local files and Hadoop file systems ({@code
 * file://}, {@code hdfs://}, {@code s3a://}). May use: Hadoop's file system only.
 */
package dev.millrace.runtime.fs;
