// listQueuedDeposits in Temporal's mock activity environment (its Context and heartbeats, without a
// server): the schools' outboxes are looked at several at a time, with heartbeats as it goes, so
// that an académie's or a nation's listing never outlasts the night's heartbeat timeout.
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities';
import { LIST_LANES, type QueuedDeposit } from '../../../activities/night';
import { migrate, openDb, type OpenedDb } from '../../../db/client';
import { startStepRun } from '../../../db/queries/step-runs';
import { uaiCheckLetter } from '../../../formats/uai';
import { connectorDouble, MemoryStore } from '../../support/connector-double';

const SCHOOLS = 1_200;
const uaiOf = (i: number): string => {
  const seven = `075${String(5000 + i).padStart(4, '0')}`;
  return `${seven}${uaiCheckLetter(seven)}`;
};
/** Every third school's deposit is still waiting for the night; the others were processed already. */
const waiting = (uai: string): boolean => Number(uai.slice(3, 7)) % 3 === 0;

let database: OpenedDb;
beforeAll(async () => {
  database = await openDb({ inMemory: true });
  await migrate(database.db);
  for (let i = 0; i < SCHOOLS; i++) {
    await startStepRun(database.db, { uai: uaiOf(i), millesime: 2025, step: 'pronote-siecle-elegroupe', workflowId: `y/${i}`, runId: `r${i}` });
  }
}, 60_000);
afterAll(() => database?.close());

describe('listQueuedDeposits (MockActivityEnvironment)', () => {
  it('looks at the schools several at a time, heartbeats as it goes, and lists the waiting ones in UAI order', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const connector = connectorDouble(() => Promise.reject(new Error('no step here')), {
      hasWaitingDeposit: async (uai) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight -= 1;
        return waiting(uai);
      },
    });
    const activities = createActivities({ db: database.db, store: new MemoryStore(), connectorFor: () => Promise.resolve(connector) });
    const env = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));

    const queued = await env.run<[{ uais?: string[] }], QueuedDeposit[], typeof activities.listQueuedDeposits>(activities.listQueuedDeposits, {});
    const expected = Array.from({ length: SCHOOLS }, (_, i) => uaiOf(i)).filter(waiting).sort();
    expect(queued.map((q) => q.uai)).toEqual(expected);
    expect(queued.every((q) => q.millesime === 2025)).toBe(true);
    expect(mostInFlight).toBe(LIST_LANES);
    expect(heartbeats).toEqual([500, 1000].map((listed) => ({ listed, of: SCHOOLS })));

    // The night of some schools only: the others are not even looked at.
    const some = [uaiOf(0), uaiOf(1), uaiOf(3)];
    const looked: string[] = [];
    const counting = connectorDouble(() => Promise.reject(new Error('no step here')), { hasWaitingDeposit: (uai) => (looked.push(uai), Promise.resolve(waiting(uai))) });
    const filtered = await new MockActivityEnvironment().run<[{ uais?: string[] }], QueuedDeposit[], typeof activities.listQueuedDeposits>(
      createActivities({ db: database.db, store: new MemoryStore(), connectorFor: () => Promise.resolve(counting) }).listQueuedDeposits,
      { uais: some },
    );
    expect(filtered.map((q) => q.uai)).toEqual(some.filter(waiting).sort());
    expect(filtered).toHaveLength(1);
    expect(looked.sort()).toEqual([...some].sort());
  });
});
