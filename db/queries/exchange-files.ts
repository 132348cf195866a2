// Every exchange file received, once: the sha256 is the identity, so receiving the same bytes
// again (a retry, the same export dropped twice in an inbox) finds the first row.
import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { FileKind } from '../../formats/types';
import type { Db } from '../client';
import { exchangeFiles, type ExchangeFile, type NewExchangeFile } from '../schema';

export interface RecordedFile {
  file: ExchangeFile;
  /** False when these bytes were already known (the existing row is returned untouched). */
  isNew: boolean;
}

export async function recordExchangeFile(db: Db, file: NewExchangeFile): Promise<RecordedFile> {
  const [inserted] = await db.insert(exchangeFiles).values(file).onConflictDoNothing({ target: exchangeFiles.sha256 }).returning();
  if (inserted) return { file: inserted, isNew: true };
  const existing = await getExchangeFile(db, file.sha256);
  if (!existing) throw new Error(`Exchange file ${file.sha256} conflicted on insert but cannot be read back.`);
  return { file: existing, isNew: false };
}

export async function getExchangeFile(db: Db, sha256: string): Promise<ExchangeFile | undefined> {
  const [row] = await db.select().from(exchangeFiles).where(eq(exchangeFiles.sha256, sha256));
  return row;
}

export interface ExchangeFileFilter {
  uai: string;
  millesime?: number;
  kind?: FileKind;
}

/** Newest first. */
export async function listExchangeFiles(db: Db, filter: ExchangeFileFilter): Promise<ExchangeFile[]> {
  const conditions: SQL[] = [eq(exchangeFiles.uai, filter.uai)];
  if (filter.millesime !== undefined) conditions.push(eq(exchangeFiles.millesime, filter.millesime));
  if (filter.kind !== undefined) conditions.push(eq(exchangeFiles.kind, filter.kind));
  return db.select().from(exchangeFiles).where(and(...conditions)).orderBy(desc(exchangeFiles.receivedAt));
}
