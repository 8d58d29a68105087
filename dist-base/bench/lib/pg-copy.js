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
    sql;
    chunks;
    rowCount = 0;
    done;
    resolve;
    reject;
    error;
    constructor(sql, chunks) {
        this.sql = sql;
        this.chunks = chunks;
        this.done = new Promise((res, rej) => {
            this.resolve = res;
            this.reject = rej;
        });
    }
    // --- pg Submittable protocol ---------------------------------------------------------------
    submit(connection) {
        connection.query(this.sql);
    }
    handleCopyInResponse(connection) {
        void this.pump(connection).catch((err) => {
            this.error ??= err;
            try {
                connection.sendCopyFail(err.message);
            }
            catch {
                // the socket is gone; the client's own error handling takes over
            }
        });
    }
    handleCommandComplete(msg) {
        const n = msg.rowCount ?? Number(/(\d+)\s*$/.exec(msg.text ?? '')?.[1] ?? 0);
        this.rowCount = n;
    }
    handleReadyForQuery() {
        if (this.error)
            this.reject(this.error);
        else
            this.resolve(this.rowCount);
    }
    handleError(err) {
        this.error = err;
        this.reject(err);
    }
    handleRowDescription() { }
    handleDataRow() { }
    handleEmptyQuery() { }
    handlePortalSuspended() { }
    handleCopyData() { }
    // --------------------------------------------------------------------------------------------
    async pump(con) {
        const socket = con.stream;
        for await (const chunk of this.chunks) {
            if (this.error)
                return;
            con.sendCopyFromChunk(chunk);
            if (socket.writableNeedDrain)
                await new Promise((r) => socket.once('drain', () => r()));
        }
        con.endCopyFrom();
    }
}
/** Runs one COPY FROM STDIN on `client`; resolves with the number of rows copied. */
export async function copyFrom(client, sql, chunks) {
    const copy = new CopyFromStdin(sql, chunks);
    client.query(copy);
    return copy.done;
}
/** One value in COPY text format (`\N` for null; backslash, tab, newline, CR escaped). */
export function copyTextValue(v) {
    if (v === null || v === undefined)
        return '\\N';
    // Fast path: most values need no escaping.
    if (!/[\\\t\n\r]/.test(v))
        return v;
    return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
/**
 * Encodes rows as COPY text format into buffers of about `chunkBytes` each (one CopyData message
 * per buffer; rows may straddle buffers, which COPY allows).
 */
export function encodeCopyText(rows, chunkBytes = 256 * 1024) {
    const out = [];
    let parts = [];
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
    if (parts.length)
        out.push(Buffer.from(parts.join(''), 'utf8'));
    return out;
}
//# sourceMappingURL=pg-copy.js.map