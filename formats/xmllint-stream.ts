// libxml2's streaming XSD validator (`xmllint --stream`, Debian's libxml2-utils) run as a child
// process on a file's path: constant memory whatever the file's size (about 120 MB for a 98 MB LSU
// file), 2 s for 98 MB on a quiet core. Every cost is bounded: a timeout kills it, stderr is read
// line by line and only the first `maxErrors` violations are kept (the rest are counted), each
// line cut at 1 Kio. Its error lines look like
//   <file>:<line>: [element <name>: ]Schemas validity error : Element '{ns}name'[, attribute 'a']: …
// and nothing else of its output is kept: parser errors may be followed by a line of the file.
import { spawn } from 'node:child_process';

export interface SchemaViolation {
  line?: number;
  /** Local name of the element libxml2 names (namespace dropped). */
  element?: string;
  attribute?: string;
  /** libxml2's own sentence, namespaces dropped (English: its wording depends on its version). */
  message: string;
  /** The message is ours, already in French (not libxml2's). */
  ours?: true;
}

export interface XmllintOutcome {
  /** 0 valid, 3 or 4 invalid, 1 unreadable (not well-formed, unknown encoding), 5 schema not compiled. */
  exitCode: number;
  violations: SchemaViolation[];
  /** Violations seen beyond those kept. */
  more: number;
  ms: number;
}

/** An infrastructure failure of the validator (timeout, crash, schema not compiled): not the file's fault. */
export class SchemaValidatorFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaValidatorFailure';
  }
}

/**
 * The xmllint binary: `SYNCHRO_XMLLINT` (a path, or `none` to act as if it were absent: how the
 * fallback is tested and how an operator can force it), else `xmllint` on the PATH.
 */
export function xmllintCommand(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const set = env.SYNCHRO_XMLLINT?.trim();
  if (set === 'none') return undefined;
  return set || 'xmllint';
}

const available = new Set<string>();

/**
 * Whether `command` (see xmllintCommand; undefined: none) runs `--version`. Only a positive answer is kept: once the package is
 * installed, the next check finds it without restarting the worker.
 */
export async function xmllintAvailable(command: string | undefined): Promise<boolean> {
  if (command === undefined) return false;
  if (available.has(command)) return true;
  const ok = await new Promise<boolean>((resolve) => {
    const child = spawn(command, ['--version'], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.on('error', () => { clearTimeout(timer); resolve(false); });
    child.on('close', (code) => { clearTimeout(timer); resolve(code === 0); });
  });
  if (ok) available.add(command);
  return ok;
}

const MAX_LINE = 1024;
const NS = /\{[^}]*\}/g;

/** One stderr line of xmllint about `file` → a violation, or undefined when it is not one. */
export function parseXmllintLine(fileArg: string, line: string): SchemaViolation | undefined {
  if (!line.startsWith(`${fileArg}:`)) return undefined;
  const m = /^(\d+): (?:element ([^:]+): )?(.*?) : (.*)$/.exec(line.slice(fileArg.length + 1));
  if (!m) return undefined;
  const [, lineNo, elementPrefix, kind, rest] = m as unknown as [string, string, string | undefined, string, string];
  if (!/error/i.test(kind)) return undefined; // warnings do not make a file invalid
  const subject = /^Element '(?:\{[^}]*\})?([^']+)'(?:, attribute '([^']+)')?: (.*)$/.exec(rest);
  const element = subject?.[1] ?? elementPrefix;
  return {
    line: Number(lineNo),
    ...(element !== undefined && { element }),
    ...(subject?.[2] !== undefined && { attribute: subject[2] }),
    message: (subject?.[3] ?? rest).replace(NS, '').trim(),
  };
}

/** Collects violations from a stream of stderr chunks, never holding more than the kept ones. */
export class ViolationCollector {
  readonly violations: SchemaViolation[] = [];
  more = 0;
  private partial = '';
  private overflow = false;

  constructor(private readonly fileArg: string, private readonly maxErrors: number) {}

  push(chunk: string): void {
    let text = chunk;
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      this.line(this.overflow ? this.partial : this.partial + text.slice(0, newline));
      this.partial = '';
      this.overflow = false;
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    if (!this.overflow) {
      this.partial += text;
      if (this.partial.length > MAX_LINE) {
        this.partial = this.partial.slice(0, MAX_LINE);
        this.overflow = true;
      }
    }
  }

  end(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }

  private line(raw: string): void {
    const v = parseXmllintLine(this.fileArg, raw.slice(0, MAX_LINE));
    if (!v) return;
    if (this.violations.length < this.maxErrors) this.violations.push(v);
    else this.more += 1;
  }
}

export interface XmllintRun {
  command: string;
  xsdPath: string;
  path: string;
  timeoutMs: number;
  maxErrors: number;
  signal?: AbortSignal;
}

/**
 * Runs `xmllint --noout --stream --nonet --schema <xsd> <path>`. Resolves with its exit code and
 * violations; rejects with SchemaValidatorFailure on timeout, signal or spawn error, and with an
 * AbortError when `signal` aborts (the child is killed either way).
 */
export function runXmllintStream(run: XmllintRun): Promise<XmllintOutcome> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // --nonet: a file can name no schema or entity that libxml2 would fetch; stdout is not read.
    const child = spawn(run.command, ['--noout', '--stream', '--nonet', '--schema', run.xsdPath, run.path], { stdio: ['ignore', 'ignore', 'pipe'] });
    const collector = new ViolationCollector(run.path, run.maxErrors);
    let failure: Error | undefined;
    const stop = (error: Error): void => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(new SchemaValidatorFailure(`validation XSD interrompue au bout de ${Math.round(run.timeoutMs / 1000)} s (xmllint).`)), run.timeoutMs);
    const onAbort = (): void => stop(Object.assign(new Error('validation XSD abandonnée'), { name: 'AbortError' }));
    if (run.signal?.aborted) onAbort();
    run.signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => collector.push(chunk));
    child.on('error', (error) => stop(new SchemaValidatorFailure(`xmllint n'a pas pu être lancé : ${error.message}`)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      collector.end();
      if (failure) return reject(failure);
      if (code === null) return reject(new SchemaValidatorFailure(`xmllint arrêté par le signal ${signal ?? '?'}.`));
      resolve({ exitCode: code, violations: collector.violations, more: collector.more, ms: performance.now() - started });
    });
  });
}
