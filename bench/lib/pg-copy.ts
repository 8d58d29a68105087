import type pg from 'pg';

/**
 * Minimal `COPY ... FROM STDIN` for node-postgres, without pg-copy-streams (not a dependency).
 *
 * It is a pg "Submittable": `client.query(copy)` hands us the connection when our turn comes, we
 * send the COPY statement, and once the server answers CopyInResponse we stream CopyData messages
 * straight onto the socket (pausing on the socket's own backpressure), then CopyDone. The server's
 * CommandComplete carries the row count; ReadyForQuery (or an ErrorResponse) settles the promise.
 *
 * Why this rather than `psql \copy` from a temp CSV: it measures what the database can ingest
 * over the same driver, the same TCP socket and the same client process as the relay, with the
 * payload already encoded in memory, so the baseline is the server's COPY speed and nothing else:
 * no temp-file write/read, no psql process start-up, no CSV parsing in psql. It is the honest
 * ceiling the relay is compared against.
 */
export class CopyFromStdin {
  rowCount = 0;
  readonly done: Promise<number>;
  private resolve!: (n: number) => void;
  private reject!: (e: Error) => void;
  private error?: Error;

  constructor(
    private readonly sql: string,
    private readonly chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
  ) {
    this.done = new Promise<number>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
  }

  // --- pg Submittable protocol ---------------------------------------------------------------

  submit(connection: pg.Connection): void {
    connection.query(this.sql);
  }

  handleCopyInResponse(connection: pg.Connection): void {
    void this.pump(connection as unknown as CopyConnection).catch((err: Error) => {
      this.error ??= err;
      try {
        (connection as unknown as CopyConnection).sendCopyFail(err.message);
      } catch {
        // the socket is gone; the client's own error handling takes over
      }
    });
  }

  handleCommandComplete(msg: { text?: string; command?: string; rowCount?: number }): void {
    const n = msg.rowCount ?? Number(/(\d+)\s*$/.exec(msg.text ?? '')?.[1] ?? 0);
    this.rowCount = n;
  }

  handleReadyForQuery(): void {
    if (this.error) this.reject(this.error);
    else this.resolve(this.rowCount);
  }

  handleError(err: Error): void {
    this.error = err;
    this.reject(err);
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  // --------------------------------------------------------------------------------------------

  private async pump(con: CopyConnection) {
    const socket = con.stream;
    for await (const chunk of this.chunks) {
      if (this.error) return;
      con.sendCopyFromChunk(chunk);
      if (socket.writableNeedDrain) await new Promise<void>((r) => socket.once('drain', () => r()));
    }
    con.endCopyFrom();
  }
}

interface CopyConnection {
  stream: NodeJS.WritableStream & { writableNeedDrain: boolean; once(ev: 'drain', cb: () => void): unknown };
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(msg: string): void;
}

/** Runs one COPY FROM STDIN on `client`; resolves with the number of rows copied. */
export async function copyFrom(client: pg.ClientBase, sql: string, chunks: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<number> {
  const copy = new CopyFromStdin(sql, chunks);
  client.query(copy as unknown as pg.Submittable);
  return copy.done;
}

/** One value in COPY text format (`\N` for null; backslash, tab, newline, CR escaped). */
export function copyTextValue(v: string | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  // Fast path: most values need no escaping.
  if (!/[\\\t\n\r]/.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * Encodes rows as COPY text format into buffers of about `chunkBytes` each (one CopyData message
 * per buffer; rows may straddle buffers, which COPY allows).
 */
export function encodeCopyText(rows: Iterable<(string | null | undefined)[]>, chunkBytes = 256 * 1024): Buffer[] {
  const out: Buffer[] = [];
  let parts: string[] = [];
  let size = 0;
  for (const row of rows) {
    const line = row.map(copyTextValue).join('\t') + '\n';
    parts.push(line);
    size += line.length;
    if (size >= chunkBytes) {
      out.push(Buffer.from(parts.join(''), 'utf8'));
      parts = [];
      size = 0;
    }
  }
  if (parts.length) out.push(Buffer.from(parts.join(''), 'utf8'));
  return out;
}
