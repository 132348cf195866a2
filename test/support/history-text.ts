// Everything a Temporal history holds, as one searchable text: every payload (inputs, results,
// activity arguments, signals, search attributes, failures) decoded from its bytes.
import type { Client } from '@temporalio/client';

function collect(node: unknown, out: string[]): void {
  if (node instanceof Uint8Array) out.push(Buffer.from(node).toString('utf8'));
  else if (Array.isArray(node)) for (const item of node) collect(item, out);
  else if (node && typeof node === 'object') for (const value of Object.values(node)) collect(value, out);
  else if (typeof node === 'string') out.push(node);
}

export async function historyText(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const out: string[] = [];
  collect(history.events ?? [], out);
  return out.join('\n');
}
