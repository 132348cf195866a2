// Everything a Temporal history holds, as one searchable text: every payload (inputs, results,
// activity arguments, signals, search attributes, failures) decoded from its bytes.
import type { Client } from '@temporalio/client';

function collect(node: unknown, out: string[]): void {
  if (node instanceof Uint8Array) out.push(Buffer.from(node).toString('utf8'));
  else if (Array.isArray(node)) for (const item of node) collect(item, out);
  else if (node && typeof node === 'object') for (const value of Object.values(node)) collect(value, out);
  else if (typeof node === 'string') out.push(node);
}

/** The histories of every run of a workflow id, newest first (continue-as-new followed back). */
export async function historyText(client: Client, workflowId: string): Promise<string> {
  const out: string[] = [];
  for (let runId: string | undefined = undefined, runs = 0; ; runs += 1) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    collect(history.events ?? [], out);
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
    if (!runId || runs > 100) break;
  }
  return out.join('\n');
}

/** How many runs a workflow id went through (1 when it never continued as new). */
export async function runCount(client: Client, workflowId: string): Promise<number> {
  let count = 1;
  for (let runId: string | undefined = undefined; ; count += 1) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
    if (!runId) return count;
  }
}
