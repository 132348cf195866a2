// libxml2's XSD validator (xmllint-wasm's WebAssembly build) run in the calling thread, its module
// compiled once per thread. xmllint-wasm's own validateXML starts a worker thread and compiles the
// module again for every file: 0.4 to 0.7 s an élève-groupe file, most of a deposit's cost across
// an académie; a system xmllint is a fork of the whole worker process (70 ms at 800 MB of RSS, on
// the thread that spawns it). Here a validation costs what libxml2 does, in a parse thread
// (formats/parse-pool.ts). Same build, same arguments and the same reading of its output as
// validateXML (test/unit/formats/elegroupe-schema.test.ts compares the two), so nothing SIECLE's
// refusal says changes.
//
// Run only in a parse thread: the Emscripten runtime sets process.exitCode when xmllint exits
// (restored below, but the main thread of a CLI must never see it change).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';

// The WebAssembly global, typed here: the project's lib (ES2022, no DOM) does not declare it.
type WasmModule = object;
type WasmInstance = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum: number }) => object;
  instantiate(module: WasmModule, imports: object): Promise<WasmInstance>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface EmscriptenOptions {
  inputFiles: { fileName: string; contents: string | Uint8Array }[];
  arguments: string[];
  print(text: string): void;
  printErr(text: string): void;
  onExit(code: number): void;
  onAbort(reason: unknown): void;
  wasmMemory: object;
  instantiateWasm(imports: object, done: (instance: WasmInstance, module: WasmModule) => void): object;
}

export interface XmllintRunOutput {
  exitCode: number;
  stderr: string;
}

let loaded: { run: (options: EmscriptenOptions) => Promise<unknown>; module: WasmModule } | undefined;

/** xmllint-wasm's Emscripten module without its worker entry (the last part of xmllint-node.js). */
function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const entry = require.resolve('xmllint-wasm/xmllint-node.js');
  const source = readFileSync(entry, 'utf8');
  const workerEntry = source.indexOf(';(function initWorker()');
  if (workerEntry < 0) throw new Error('xmllint-wasm : module Emscripten non reconnu (version du paquet changée ?).');
  const holder: { exports: unknown } = { exports: {} };
  // Wrapped and compiled as Node's CommonJS loader does, under the file's own name.
  const evaluate = runInThisContext(`(function (module, exports, require, __filename, __dirname) {${source.slice(0, workerEntry)}\n})`, { filename: entry }) as (...args: unknown[]) => void;
  evaluate(holder, holder.exports, require, entry, dirname(entry));
  const run = holder.exports as (options: EmscriptenOptions) => Promise<unknown>;
  loaded = { run, module: new wasm.Module(readFileSync(join(dirname(entry), 'xmllint.wasm'))) };
  return loaded;
}

/** Runs xmllint once on in-memory files (the same inputs validateXML takes). */
export function runXmllintInThread(inputFiles: { fileName: string; contents: string | Uint8Array }[], args: string[], maxMemoryPages: number): Promise<XmllintRunOutput> {
  const { run, module } = load();
  const exitCodeBefore = process.exitCode;
  let stderr = '';
  return new Promise<XmllintRunOutput>((resolve, reject) => {
    run({
      inputFiles,
      arguments: args,
      print: () => undefined,
      printErr: (text) => {
        stderr += `${text}\n`;
      },
      onExit: (exitCode) => resolve({ exitCode, stderr }),
      onAbort: (reason) => reject(new Error(`WASM Abort: ${String(reason)}`)),
      wasmMemory: new wasm.Memory({ initial: 256, maximum: maxMemoryPages }),
      instantiateWasm: (imports, done) => {
        wasm.instantiate(module, imports).then((instance) => done(instance, module), reject);
        return {};
      },
    }).catch(() => undefined); // the runtime's own promise rejects with its ExitStatus: onExit said it all
  }).finally(() => {
    process.exitCode = exitCodeBefore;
  });
}
