// "Never deposit twice": the unique key (uai, millésime, step, input sha256) decides, inside
// Postgres, which caller deposits. Usage from an activity:
//   const claim = await recordDeposit(db, …);
//   if (claim.isNew) { try { await connector.deposit(…) } catch (e) { await cancelDeposit(db, claim.deposit.id); throw e } }
// so a retry after a failed deposit may claim again, and a retry after a good one does nothing.
import { and, eq } from 'drizzle-orm';
import type { Application } from '../../rules/calendar';
import type { StepId } from '../../steps/vocabulary';
import type { Db } from '../client';
import { deposits, type Deposit } from '../schema';

export interface DepositInput {
  uai: string;
  millesime: number;
  step: StepId;
  inputSha256: string;
  targetApplication: Application;
}

export interface RecordedDeposit {
  deposit: Deposit;
  /** True for exactly one caller per key, however many race. */
  isNew: boolean;
}

export async function recordDeposit(db: Db, input: DepositInput): Promise<RecordedDeposit> {
  const [inserted] = await db.insert(deposits).values(input).onConflictDoNothing().returning();
  if (inserted) return { deposit: inserted, isNew: true };
  const existing = await findDeposit(db, input);
  if (!existing) throw new Error(`Deposit of ${input.step} for ${input.uai} conflicted but cannot be read back (cancelled meanwhile?).`);
  return { deposit: existing, isNew: false };
}

export async function findDeposit(db: Db, key: Omit<DepositInput, 'targetApplication'>): Promise<Deposit | undefined> {
  const [row] = await db
    .select()
    .from(deposits)
    .where(
      and(
        eq(deposits.uai, key.uai),
        eq(deposits.millesime, key.millesime),
        eq(deposits.step, key.step),
        eq(deposits.inputSha256, key.inputSha256),
      ),
    );
  return row;
}

/** Gives the claim back when the deposit itself failed, so that a retry deposits. */
export async function cancelDeposit(db: Db, depositId: number): Promise<void> {
  await db.delete(deposits).where(eq(deposits.id, depositId));
}

/**
 * SIECLE's nightly processing of an élève-groupe deposit is claimed in the same table, under this
 * pseudo-step (the column is plain text; no step of the chain has this id): the unique key makes
 * one night, however many retries or re-runs race, the one that processes a given file.
 */
export const NIGHT_PROCESSING_STEP = 'pronote-siecle-elegroupe-night';

export type NightKey = { uai: string; millesime: number; inputSha256: string };

export async function recordNightProcessing(db: Db, key: NightKey): Promise<RecordedDeposit> {
  return recordDeposit(db, { ...key, step: NIGHT_PROCESSING_STEP as StepId, targetApplication: 'siecle' });
}

export async function findNightProcessing(db: Db, key: NightKey): Promise<Deposit | undefined> {
  return findDeposit(db, { ...key, step: NIGHT_PROCESSING_STEP as StepId });
}
