package dev.rolegate.api.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows streamed into one table with {@code COPY ... FROM STDIN} in PostgreSQL's text format. The
 * generator writes hundreds of megabytes of policy JSON; row-by-row inserts would take many minutes
 * where COPY takes seconds, and streaming keeps the generator's memory flat.
 */
final class CopyRows implements AutoCloseable {
  /** Large enough to amortise the round trips, small enough to stay out of the old generation. */
  private static final int FLUSH_AT = 1 << 20;

  private final CopyIn copy;
  private final StringBuilder buffer = new StringBuilder(FLUSH_AT + (FLUSH_AT >> 2));
  private boolean firstField = true;
  private boolean finished;

  private CopyRows(CopyIn copy) {
    this.copy = copy;
  }

  /** Starts a COPY into the table's columns; nothing else may run on the connection until done. */
  static CopyRows into(Connection c, String table, String... columns) throws SQLException {
    String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN";
    return new CopyRows(c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql));
  }

  CopyRows text(String value) {
    separate();
    if (value == null) {
      buffer.append("\\N");
      return this;
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> buffer.append("\\\\");
        case '\t' -> buffer.append("\\t");
        case '\n' -> buffer.append("\\n");
        case '\r' -> buffer.append("\\r");
        default -> buffer.append(ch);
      }
    }
    return this;
  }

  CopyRows number(long value) {
    separate();
    buffer.append(value);
    return this;
  }

  /** A nullable bigint: negative stands for null, as no id is negative. */
  CopyRows idOrNull(long value) {
    if (value < 0) {
      separate();
      buffer.append("\\N");
      return this;
    }
    return number(value);
  }

  CopyRows bool(boolean value) {
    separate();
    buffer.append(value ? 't' : 'f');
    return this;
  }

  void endRow() throws SQLException {
    buffer.append('\n');
    firstField = true;
    if (buffer.length() >= FLUSH_AT) {
      flush();
    }
  }

  /** Ends the COPY and returns the number of rows it stored. */
  long finish() throws SQLException {
    flush();
    finished = true;
    return copy.endCopy();
  }

  @Override
  public void close() throws SQLException {
    if (!finished && copy.isActive()) {
      copy.cancelCopy();
    }
  }

  private void separate() {
    if (!firstField) {
      buffer.append('\t');
    }
    firstField = false;
  }

  private void flush() throws SQLException {
    if (buffer.isEmpty()) {
      return;
    }
    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    buffer.setLength(0);
  }
}
