// "A new file is here": tells the school's running year (workflows/messages.ts fileArrived), so
// that the steps reading it run again now, rather than when the connector next looks. The years
// tried are those whose SIECLE base is in use today (two from May to the rentrée); a year that is
// not running is not an error: the file waits in the inbox for the next run.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { siecleBasesOn } from '../../rules/calendar';
import { schoolYearWorkflowId } from '../../workflows/ids';
import { fileArrived, type FileArrived } from '../../workflows/messages';

/** The workflow ids signalled (the running years of that school). */
export async function notifyFileArrived(client: Client, uai: string, file: FileArrived, millesimes?: readonly number[]): Promise<string[]> {
  const years = millesimes ?? siecleBasesOn(uai, new Date().toISOString().slice(0, 10)).accepted;
  const signalled: string[] = [];
  for (const millesime of years) {
    const workflowId = schoolYearWorkflowId(uai, millesime);
    try {
      await client.workflow.getHandle(workflowId).signal(fileArrived, file);
      signalled.push(workflowId);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return signalled;
}
