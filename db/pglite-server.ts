// The process that owns a PGlite folder serves it to the other synchro processes over a local
// socket, as a PostgreSQL server would: `synchro status`, `report`, `run yearly`… reach it with
// postgres-js while `synchro start` keeps the files to itself (PGlite is one process's database).
//
// Why not @electric-sql/pglite-socket's server as it is: PGlite has ONE backend session, and that
// server's multiplexer interleaves connections message by message under PGlite's query mutex
// only. The owner's own transactions (PGlite.transaction, which holds the *transaction* mutex and
// releases the query mutex between statements) would then take in a client's statements, and a
// client's Parse/Bind/Execute could be split by another's. Here a connection holds the session
// (PGlite's transaction mutex, the one the owner's query/exec/transaction take too) from the first
// message of an exchange to the ReadyForQuery that says "idle": an exchange ending in a Sync or a
// simple Query outside a transaction block. Within a transaction block the session stays with
// that connection until COMMIT/ROLLBACK (what a row lock would do), bounded by an idle timeout.
// Waiters are served in arrival order (the mutex is FIFO), so the owner's queries are not starved.
//
// Access: a unix socket (a named pipe on Windows) in a directory only this user can enter, the
// socket itself 0600, and a password (random, in the 0600 lock file) asked in clear text over that
// local socket before the startup packet reaches PGlite.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

export interface PgliteServiceOptions {
  /** Connections served at once (each takes turns on the one session); more are refused. */
  maxConnections?: number;
  /** A connection idle inside a transaction block longer than this is closed (its work rolled back). */
  idleInTransactionMs?: number;
}

export interface PgliteService {
  /** Where postgres-js connects (`path` option). */
  socketPath: string;
  /** The password every connection must give. */
  secret: string;
  connections(): number;
  stop(): Promise<void>;
}

const SSL_REQUEST = 80_877_103;
const GSS_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;
const PROTOCOL_3 = 196_608;
/** A startup packet is a few hundred bytes; a client message up to a large bulk insert. */
const MAX_STARTUP_BYTES = 10_000;
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** Holds PGlite's session (its transaction mutex) until the returned function is called. */
function takeSession(pg: PGlite): Promise<() => void> {
  return new Promise((granted) => {
    void pg._runExclusiveTransaction(() => new Promise<void>((release) => granted(release)));
  });
}

function errorResponse(code: string, message: string, severity = 'FATAL'): Buffer {
  const fields = Buffer.from(`S${severity}\0V${severity}\0C${code}\0M${message}\0\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('E', 0, 'latin1');
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

const ASK_PASSWORD = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]); // AuthenticationCleartextPassword
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);
const ROLLBACK = Buffer.concat([Buffer.from([0x51, 0, 0, 0, 13]), Buffer.from('ROLLBACK\0', 'latin1')]);

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(secret, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The transaction status of the last ReadyForQuery ('I' idle, 'T' in a block, 'E' failed block). */
function readyStatus(output: Uint8Array): string | undefined {
  const n = output.length;
  if (n < 6 || output[n - 6] !== 0x5a || output[n - 5] !== 0 || output[n - 4] !== 0 || output[n - 3] !== 0 || output[n - 2] !== 5) return undefined;
  return String.fromCharCode(output[n - 1] ?? 0);
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private phase: 'startup' | 'password' | 'ready' | 'closed' = 'startup';
  private startup?: Buffer;
  private pending: Buffer[] = [];
  /** Exchanges run one after the other, in the order the client sent them. */
  private work: Promise<void> = Promise.resolve();
  private release?: () => void;
  private idleTimer?: NodeJS.Timeout;

  constructor(
    private readonly pg: PGlite,
    private readonly socket: Socket,
    private readonly secret: string,
    private readonly idleInTransactionMs: number,
    private readonly onGone: () => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => void this.close());
    socket.on('close', () => void this.close());
  }

  private receive(chunk: Buffer): void {
    if (this.phase === 'closed') return;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    try {
      this.parse();
    } catch (error) {
      this.refuse('08P01', error instanceof Error ? error.message : String(error));
    }
  }

  private parse(): void {
    while (this.phase !== 'closed') {
      if (this.phase === 'startup') {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (length === 8 && (code === SSL_REQUEST || code === GSS_REQUEST)) {
          this.socket.write('N'); // no TLS on a local socket
          this.buffer = this.buffer.subarray(8);
          continue;
        }
        if (code === CANCEL_REQUEST) return this.refuse('0A000', 'annulation non prise en charge');
        if (code !== PROTOCOL_3 || length < 8 || length > MAX_STARTUP_BYTES) throw new Error('paquet de démarrage invalide');
        if (this.buffer.length < length) return;
        this.startup = Buffer.from(this.buffer.subarray(0, length));
        this.buffer = this.buffer.subarray(length);
        this.phase = 'password';
        this.socket.write(ASK_PASSWORD);
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = this.buffer.readInt32BE(1);
      if (length < 4 || length > MAX_MESSAGE_BYTES) throw new Error('message invalide');
      if (this.buffer.length < 1 + length) return;
      const message = Buffer.from(this.buffer.subarray(0, 1 + length));
      this.buffer = this.buffer.subarray(1 + length);
      const type = String.fromCharCode(message[0] ?? 0);
      if (this.phase === 'password') {
        const given = message.subarray(5, message.length - 1).toString('utf8');
        if (type !== 'p' || !sameSecret(given, this.secret)) return this.refuse('28P01', 'authentification refusée');
        this.phase = 'ready';
        const startup = this.startup ?? Buffer.alloc(0);
        this.schedule([startup], true);
        continue;
      }
      if (type === 'X') {
        void this.close();
        return;
      }
      this.pending.push(message);
      // An exchange ends where the client waits for answers: Sync, a simple Query, or Flush
      // (postgres-js describes a statement with Parse/Describe/Flush before binding it).
      if (type === 'S' || type === 'Q' || type === 'H') {
        const batch = this.pending;
        this.pending = [];
        this.schedule(batch, type !== 'H');
      }
    }
  }

  private schedule(batch: Buffer[], mayEnd: boolean): void {
    this.work = this.work.then(() => this.exchange(Buffer.concat(batch), mayEnd)).catch((error: unknown) => {
      this.refuse('XX000', error instanceof Error ? error.message : String(error));
    });
  }

  private async exchange(messages: Buffer, mayEnd: boolean): Promise<void> {
    if (this.phase === 'closed') return;
    clearTimeout(this.idleTimer);
    this.release ??= await takeSession(this.pg);
    if (this.isClosed()) return this.endSession(); // gone while waiting for its turn
    // execProtocolRaw runs every message of the buffer and answers with all their replies.
    const output = await this.pg.runExclusive(() => this.pg.execProtocolRaw(new Uint8Array(messages)));
    if (output.length && this.socket.writable) this.socket.write(output);
    const status = mayEnd ? readyStatus(output) : undefined;
    if (status === 'I') this.giveBack();
    else this.idleTimer = setTimeout(() => this.refuse('25P03', 'transaction inactive trop longtemps : annulée'), this.idleInTransactionMs);
  }

  private isClosed(): boolean {
    return this.phase === 'closed';
  }

  private giveBack(): void {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  /** The session goes back clean: an unfinished exchange synced, an open block rolled back. */
  private async endSession(): Promise<void> {
    if (!this.release) return;
    try {
      if (!this.pg.closed) {
        await this.pg.runExclusive(async () => {
          await this.pg.execProtocolRaw(new Uint8Array(SYNC));
          if (this.pg.isInTransaction()) await this.pg.execProtocolRaw(new Uint8Array(ROLLBACK));
        });
      }
    } finally {
      this.giveBack();
    }
  }

  private refuse(code: string, message: string): void {
    if (this.phase !== 'closed' && this.socket.writable) this.socket.write(errorResponse(code, message));
    void this.close();
  }

  close(): Promise<void> {
    if (this.phase !== 'closed') {
      this.phase = 'closed';
      clearTimeout(this.idleTimer);
      this.socket.destroy();
      this.work = this.work.then(() => this.endSession()).catch(() => undefined).finally(this.onGone);
    }
    return this.work;
  }
}

/** A unix socket path short enough for every platform (sun_path is 104–108 bytes). */
async function socketLocation(): Promise<{ socketPath: string; cleanup: () => Promise<void> }> {
  if (process.platform === 'win32') {
    return { socketPath: `\\\\.\\pipe\\synchro-pglite-${randomBytes(8).toString('hex')}`, cleanup: () => Promise.resolve() };
  }
  // mkdtemp creates the directory 0700: nobody else can even reach the socket.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'synchro-pglite-'));
  return { socketPath: path.join(dir, '.s.PGSQL.5432'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function servePglite(pg: PGlite, options: PgliteServiceOptions = {}): Promise<PgliteService> {
  const maxConnections = options.maxConnections ?? 32;
  const idleInTransactionMs = options.idleInTransactionMs ?? 60_000;
  const secret = randomBytes(24).toString('base64url');
  const { socketPath, cleanup } = await socketLocation();
  const connections = new Set<Connection>();
  const server: Server = createServer((socket) => {
    if (connections.size >= maxConnections) {
      socket.end(errorResponse('53300', `trop de connexions (${maxConnections}) à la base PGlite de ce processus`));
      return;
    }
    const connection: Connection = new Connection(pg, socket, secret, idleInTransactionMs, () => connections.delete(connection));
    connections.add(connection);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (process.platform !== 'win32') await chmod(socketPath, 0o600);
  let stopping: Promise<void> | undefined;
  return {
    socketPath,
    secret,
    connections: () => connections.size,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...connections].map((c) => c.close()));
        await closed;
        await cleanup();
      })();
      return stopping;
    },
  };
}
