// Who acts from the command line, for the audit log: `--by` when given, else the OS user; the
// "address" is the machine the command ran on.
import os from 'node:os';
import type { AuditInput } from '../../db/queries/audit';

export function cliActor(by: string | undefined): Pick<AuditInput, 'actor' | 'address'> {
  let user: string | undefined;
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER;
  }
  const subject = (by?.trim() || user || 'inconnu').slice(0, 64);
  return { actor: { subject }, address: `cli@${os.hostname()}`.slice(0, 64) };
}
