package dev.clickpipes.core;

import java.time.Instant;

/**
 * A record that did not become a row, as the error table stores it.
 *
 * @param time     when it was rejected
 * @param pipe     the pipe's name
 * @param source   what the source reads (topic, stream, file)
 * @param position where the record sits in its source
 * @param kind     why it was rejected
 * @param message  what was wrong, naming the field, value and type where they are known
 * @param raw      the record's bytes as they came
 */
public record ErrorRecord(Instant time, String pipe, String source, String position, ErrorKind kind,
                          String message, byte[] raw) {
}
