// The per-school folders both connectors work on (layout in types.ts), the official file names
// each application exports, and "the newest file the application exported".
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { uaiProblem } from '../formats/uai';
import { copyFileAtomic, writeFileAtomic } from './content-store';
import type { SchoolPorts } from '../steps/ports';
import type { Application, FoundFile } from './types';

export const APPLICATIONS: readonly Application[] = ['sts', 'edt', 'siecle', 'pronote', 'lsu'];
export type Box = 'inbox' | 'outbox' | 'reports';

export { OFFICIAL_NAMES, expectedName, LSU_STATE_FILE } from '../steps/official-names';
export type { FoundFile } from '../steps/ports';

export class SchoolFolders {
  readonly root: string;

  constructor(dataDir: string, readonly uai: string) {
    // The UAI names a folder: a malformed one must never reach the file system.
    const problem = uaiProblem(uai);
    if (problem) throw new Error(problem);
    this.root = join(dataDir, 'schools', uai);
  }

  dir(app: Application, box: Box): string {
    return join(this.root, app, box);
  }

  path(app: Application, box: Box, name: string): string {
    return join(this.dir(app, box), name);
  }

  async ensure(): Promise<void> {
    for (const app of APPLICATIONS) for (const box of ['inbox', 'outbox', 'reports'] as const) await mkdir(this.dir(app, box), { recursive: true });
  }

  /** Files of a box whose names match, newest first (modification time, then name: official names end with a time stamp). */
  async list(app: Application, box: Box, pattern: RegExp): Promise<FoundFile[]> {
    const dir = this.dir(app, box);
    const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const found: FoundFile[] = [];
    for (const name of names.filter((n) => pattern.test(n))) {
      const s = await stat(join(dir, name)).catch(() => undefined);
      if (s?.isFile()) found.push({ path: join(dir, name), name, mtimeMs: s.mtimeMs });
    }
    return found.sort((a, b) => b.mtimeMs - a.mtimeMs || b.name.localeCompare(a.name));
  }

  async newest(app: Application, box: Box, pattern: RegExp): Promise<FoundFile | undefined> {
    return (await this.list(app, box, pattern))[0];
  }

  async write(app: Application, box: Box, name: string, bytes: Uint8Array | string): Promise<string> {
    if (/[\\/]/.test(name) || name.startsWith('.')) throw new Error(`Nom de fichier refusé : « ${name} ».`);
    await mkdir(this.dir(app, box), { recursive: true });
    const path = this.path(app, box, name);
    await writeFileAtomic(path, bytes);
    return path;
  }

  /** Copies a file (a big LSU file is never held in memory). */
  async copy(app: Application, box: Box, name: string, fromPath: string): Promise<string> {
    if (/[\\/]/.test(name) || name.startsWith('.')) throw new Error(`Nom de fichier refusé : « ${name} ».`);
    await mkdir(this.dir(app, box), { recursive: true });
    const path = this.path(app, box, name);
    await copyFileAtomic(fromPath, path);
    return path;
  }

  /** A file of the school's own folder (sandbox.json), beside the applications' folders. */
  async writeJsonAt(name: string, value: unknown): Promise<string> {
    await mkdir(this.root, { recursive: true });
    const path = join(this.root, name);
    await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
    return path;
  }

  async writeJson(app: Application, box: Box, name: string, value: unknown): Promise<string> {
    return this.write(app, box, name, `${JSON.stringify(value, null, 2)}\n`);
  }
}

/** The school's folders as the steps' ports: <app>/inbox, <app>/outbox and <app>/reports. */
export function folderPorts(folders: SchoolFolders): SchoolPorts {
  return {
    inbox: { list: (app, pattern) => folders.list(app, 'inbox', pattern), newest: (app, pattern) => folders.newest(app, 'inbox', pattern) },
    outbox: { write: (app, name, bytes) => folders.write(app, 'outbox', name, bytes), copy: (app, name, from) => folders.copy(app, 'outbox', name, from) },
    reports: { writeJson: (app, name, value) => folders.writeJson(app, 'reports', name, value) },
  };
}
