// Everything a Temporal history holds, as one searchable text: every payload (inputs, results,
// activity arguments, signals, search attributes, failures) decoded from its bytes.
import type { Client } from '@temporalio/client';

function collect(node: unknown, out: string[]): void {
  if (node instanceof Uint8Array) out.push(Buffer.from(node).toString('utf8'));
  else if (Array.isArray(node)) for (const item of node) collect(item, out);
  else if (node && typeof node === 'object') for (const value of Object.values(node)) collect(value, out);
  else if (typeof node === 'string') out.push(node);
}

type History = Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;

/** The history of every run of a workflow id, newest first (continue-as-new followed back). */
async function* runHistories(client: Client, workflowId: string): AsyncGenerator<History> {
  for (let runId: string | undefined; ; ) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    yield history;
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
    if (!runId) return;
  }
}

/** Every run's history of a workflow id as one text. */
export async function historyText(client: Client, workflowId: string): Promise<string> {
  const out: string[] = [];
  for await (const history of runHistories(client, workflowId)) collect(history.events ?? [], out);
  return out.join('\n');
}

/** How many runs a workflow id went through (1 when it never continued as new). */
export async function runCount(client: Client, workflowId: string): Promise<number> {
  let count = 0;
  for await (const _history of runHistories(client, workflowId)) count += 1;
  return count;
}
