package dev.rolegate.persistence.audit;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.postgresql.copy.CopyIn;

/**
 * Rows streamed to a {@code COPY ... FROM STDIN (FORMAT binary)} in PostgreSQL's binary format: a
 * header, then per row the number of fields and each field as its length and bytes, then a trailer.
 * The decision log takes its batches so: a field is copied as it is, with no text to format and
 * parse for the uuid and the time, and no statement with thousands of parameters to build and bind,
 * which the JDBC batch spent most of the audit writer's time on.
 *
 * <p>Text and json fields are sent as UTF-8, the encoding the driver sets for its connections.
 */
final class BinaryCopy {
  private static final byte[] HEADER = {
    'P',
    'G',
    'C',
    'O',
    'P',
    'Y',
    '\n',
    (byte) 0xff,
    '\r',
    '\n',
    0, // signature
    0,
    0,
    0,
    0, // flags: no OIDs
    0,
    0,
    0,
    0 // no header extension
  };

  /** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01T00:00:00Z. */
  private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

  /** Sent to the server whenever this much is buffered: a few rows of the log at a time. */
  private static final int FLUSH_AT = 32 * 1024;

  /** Room for the rows that end past {@link #FLUSH_AT} before the next row sends them. */
  private static final int CAPACITY = 2 * FLUSH_AT;

  private final CopyIn copy;
  private byte[] buffer = new byte[CAPACITY];
  private int size;

  BinaryCopy(CopyIn copy) {
    this.copy = copy;
    put(HEADER);
  }

  /** Starts a row of {@code fields} fields; the previous row is complete. */
  BinaryCopy row(int fields) throws SQLException {
    if (size >= FLUSH_AT) {
      flush();
    }
    return int16(fields);
  }

  BinaryCopy uuid(UUID value) {
    int32(16);
    int64(value.getMostSignificantBits());
    return int64(value.getLeastSignificantBits());
  }

  /** A timestamptz, to the microsecond (what PostgreSQL keeps); finer parts are dropped. */
  BinaryCopy timestamp(Instant value) {
    long micros =
        Math.addExact(
            Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1_000);
    int32(8);
    return int64(micros - POSTGRES_EPOCH_MICROS);
  }

  /** A text or json field; null is SQL NULL. */
  BinaryCopy text(String value) {
    if (value == null) {
      return int32(-1);
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    int32(bytes.length);
    return put(bytes);
  }

  BinaryCopy bool(boolean value) {
    int32(1);
    ensure(1);
    buffer[size++] = (byte) (value ? 1 : 0);
    return this;
  }

  BinaryCopy int8(long value) {
    int32(8);
    return int64(value);
  }

  /** Sends the trailer and ends the COPY; the number of rows the server took. */
  long finish() throws SQLException {
    int16(-1);
    flush();
    return copy.endCopy();
  }

  private void flush() throws SQLException {
    if (size > 0) {
      copy.writeToCopy(buffer, 0, size);
      size = 0;
    }
  }

  private BinaryCopy put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
    return this;
  }

  private BinaryCopy int16(int value) {
    ensure(2);
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) value;
    return this;
  }

  private BinaryCopy int32(int value) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      buffer[size++] = (byte) (value >>> shift);
    }
    return this;
  }

  private BinaryCopy int64(long value) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buffer[size++] = (byte) (value >>> shift);
    }
    return this;
  }

  /** Grows the buffer for a field larger than what is left (a large answer); rows flush it. */
  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }
}
