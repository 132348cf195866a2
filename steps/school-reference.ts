// The school's reference data as its inboxes hold it (SIECLE's exports, STS-Web's sts_emp, LSU's
// state): what the steps check files against, and what the simulated SIECLE night reads too.
import { loadReferenceFiles, type Reference } from '../checks/reference';
import { LSU_STATE_FILE, OFFICIAL_NAMES } from './official-names';
import { parsedFiles } from './parsed-files';
import { StepRejected } from './rejected';
import type { FoundFile, Inbox } from './ports';

/** The SIECLE exports, newest first per export name, as found in siecle/inbox. */
export async function siecleExports(inbox: Inbox): Promise<FoundFile[]> {
  const newest = new Map<string, FoundFile>();
  for (const f of await inbox.list('siecle', OFFICIAL_NAMES.siecleExport)) if (!newest.has(f.name.toLowerCase())) newest.set(f.name.toLowerCase(), f);
  return [...newest.values()];
}

/** What a step reads of the school's reference: the SIECLE exports named, sts_emp, LSU's state. */
export interface ReferenceNeeds {
  /** Export names as in ExportXML_<Name>.zip; "Eleves" covers Eleves(Sans|Avec)Adresses. */
  siecle: readonly ('Eleves' | 'Structures' | 'Communs' | 'Nomenclature')[];
  sts?: boolean;
  state?: boolean;
}

/**
 * The school's reference data from its inboxes, limited to what the step uses (parsing a lycée's
 * pupils or responsables export costs tenths of a second, paid by every school of the académie):
 * SIECLE's exports, STS-Web's newest sts_emp and LSU's state, as `synchro check --reference`
 * reads them from a folder (checks/reference.ts).
 */
export async function schoolReference(inbox: Inbox, needs: ReferenceNeeds): Promise<Reference> {
  const wanted = new RegExp(`^ExportXML_(${needs.siecle.join('|')})`, 'i');
  const files = (await siecleExports(inbox)).filter((f) => wanted.test(f.name));
  const sts = needs.sts ? await inbox.newest('sts', OFFICIAL_NAMES.stsEmp) : undefined;
  if (sts) files.push(sts);
  const state = needs.state ? await inbox.newest('lsu', new RegExp(`^${LSU_STATE_FILE.replace('.', '\\.')}$`)) : undefined;
  if (state) files.push(state);
  // ElevesAvecAdresses sorts before ElevesSansAdresses: the first of each kind wins. I/O errors are
  // thrown (Temporal retries); a file there but unreadable fails the step at once, named.
  const ref = await loadReferenceFiles(files.sort((a, b) => a.name.localeCompare(b.name)).map((f) => ({ path: f.path, name: f.name })), (name, bytes) => parsedFiles.read(name, bytes), { ioErrors: 'throw' });
  if (ref.unreadable.length > 0) throw new StepRejected(ref.unreadable[0]!.anomaly.message, ref.unreadable.map((u) => u.anomaly));
  return ref;
}
