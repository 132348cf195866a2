// PRONOTE → LSU bilans (`import_lsu_<yyyymmddhhmmss>.xml`, root lsun-bilans). A file may reach
// LSU's limit of 100 Mo, so it is read as a stream with saxes: memory holds the referentials
// (pupils, periods, disciplines, teachers, which come first in the file) and one bilan at a time.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import iconv from 'iconv-lite';
import { SaxesParser } from 'saxes';
import { ExchangeFileError } from './errors.js';
import { LSU_NAMESPACE } from './lsu-versions.js';
import {
  type Attrs, emptyReferentials, lsuCycleBilan, lsuDiscipline, lsuPeriod, lsuPeriodicBilan, lsuPupil, lsuSubject, lsuTeacher,
  lsuVieScolaire, vieScolaireHasContent,
} from './lsu-referentials.js';
import type { LsuBilan, LsuCycleBilan, LsuHeader, LsuPeriodicBilan, LsuReferentials } from './types.js';
import { assertReadableSize, declaredEncoding, MAX_XML_BYTES, saxesFailure } from './xml.js';
import { LsuIdRefs } from './lsu-idrefs.js';
import type { SchemaViolation } from './xmllint-stream.js';

export { writeLsuBilans, LSU_WRITER_DEFAULTS, type LsuBilansSource } from './lsu-bilans-writer.js';
export { parseLsuBilansWhole } from './lsu-bilans-whole.js';

export interface LsuReadResult {
  header: LsuHeader;
  referentials: LsuReferentials;
  counts: { periodic: number; cycle: number };
  /** Duplicate ids and references to no id: the XSD rules libxml2 does not check (formats/lsu-idrefs.ts). */
  idViolations: { violations: SchemaViolation[]; more: number };
}

export type OnLsuBilan = (bilan: LsuBilan, referentials: LsuReferentials) => void | Promise<void>;

const ENTETE_FIELDS = new Set(['editeur', 'application', 'appliVersion', 'etablissement']);

/** Bytes → text for a stream whose encoding is only known from its first bytes. */
function makeDecoder(file: string, first: Buffer): { body: Buffer; decode: (b: Buffer, last?: boolean) => string } {
  const hasBom = first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf;
  const body = hasBom ? first.subarray(3) : first;
  const encoding = declaredEncoding(body) ?? 'utf-8';
  if (hasBom || encoding === 'utf-8' || encoding === 'utf8') {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    return {
      body,
      decode: (b, last = false) => {
        try {
          return decoder.decode(b, { stream: !last });
        } catch {
          throw new ExchangeFileError(file, 'encoding', "le fichier se déclare en UTF-8 mais contient des octets qui n'en sont pas.");
        }
      },
    };
  }
  const declaredName: string = encoding; // iconv's type guard narrows `encoding` to never below
  if (!iconv.encodingExists(encoding)) throw new ExchangeFileError(file, 'encoding', `encodage « ${declaredName} » inconnu (UTF-8 attendu).`);
  const decoder = iconv.getDecoder(encoding);
  return { body, decode: (b, last = false) => decoder.write(b) + (last ? (decoder.end() ?? '') : '') };
}

/**
 * Reads an LSU file, calling `onBilan` for every bilan in file order (awaited: a slow consumer
 * slows the reading, it never piles bilans up). Throws ExchangeFileError on unreadable input:
 * before any bilan when the problem is the size, the encoding, the prolog or the root; but a
 * truncated or malformed file is only known when the parser gets there, after the bilans before
 * it were delivered. Consumers stage what they receive and commit only when this resolves.
 */
export async function readLsuBilans(
  source: string | NodeJS.ReadableStream,
  onBilan: OnLsuBilan,
  options: { fileName?: string } = {},
): Promise<LsuReadResult> {
  const file = options.fileName ?? (typeof source === 'string' ? basename(source) : 'flux LSU');
  if (typeof source === 'string') assertReadableSize(file, (await stat(source)).size);
  const input = typeof source === 'string' ? createReadStream(source) : source;

  const referentials = emptyReferentials();
  const header: LsuHeader = { kind: 'lsu-bilans', uai: '', millesime: 0, schemaVersion: '' };
  const counts = { periodic: 0, cycle: 0 };
  const idRefs = new LsuIdRefs();
  const ready: LsuBilan[] = [];
  const stack: string[] = [];
  let periodic: LsuPeriodicBilan | undefined;
  let cycle: LsuCycleBilan | undefined;
  let capture: string | undefined;

  const parser = new SaxesParser({ position: true });
  parser.on('doctype', () => {
    throw new ExchangeFileError(file, 'doctype', 'déclaration DOCTYPE refusée (les fichiers LSU n\'en contiennent jamais).', parser.line);
  });
  parser.on('opentag', (tag) => {
    const name = tag.name.replace(/^.*:/, '');
    const a = tag.attributes as Attrs;
    const parent = stack[stack.length - 1];
    stack.push(name);
    idRefs.element(name, a, parser.line);
    if (parent === undefined) {
      const ns = a.xmlns ?? Object.entries(a).find(([k]) => k.startsWith('xmlns:'))?.[1];
      if (name !== 'lsun-bilans') throw new ExchangeFileError(file, 'wrong-root', `racine <${tag.name}> inattendue : <lsun-bilans> attendu.`, parser.line);
      if (ns !== LSU_NAMESPACE) throw new ExchangeFileError(file, 'wrong-root', `espace de noms « ${ns ?? ''} » inattendu : ${LSU_NAMESPACE} attendu.`, parser.line);
      header.schemaVersion = a.schemaVersion ?? '';
      header.version = header.schemaVersion;
    } else if (parent === 'entete' && ENTETE_FIELDS.has(name)) capture = '';
    else if (name === 'eleve' && parent === 'eleves') { const p = lsuPupil(a); referentials.pupils.set(p.ref, p); }
    else if (name === 'periode' && parent === 'periodes') {
      const p = lsuPeriod(a);
      referentials.periods.set(p.ref, p);
      if (header.millesime === 0 && Number.isFinite(p.millesime)) header.millesime = p.millesime;
    } else if (name === 'discipline' && parent === 'disciplines') { const d = lsuDiscipline(a); referentials.disciplines.set(d.ref, d); }
    else if (name === 'enseignant' && parent === 'enseignants') { const t = lsuTeacher(a); referentials.teachers.set(t.ref, t); }
    else if (name === 'bilan-periodique') periodic = lsuPeriodicBilan(a, parser.line);
    else if (name === 'bilan-cycle') {
      cycle = lsuCycleBilan(a, parser.line);
      if (header.millesime === 0 && Number.isFinite(cycle.millesime)) header.millesime = cycle.millesime;
    } else if (periodic && name === 'acquis' && parent === 'liste-acquis') periodic.subjects.push(lsuSubject(a));
    else if (periodic && name === 'vie-scolaire') periodic.vieScolaire = lsuVieScolaire(a);
    else if (cycle && name === 'domaine' && parent === 'socle') (cycle.socle ??= []).push({ code: a.code ?? '', positioning: Number(a.positionnement) });
    else if (periodic && (name === 'acquis-conseils' || name === 'appreciation' || name === 'commentaire')) capture = '';
  });
  const onText = (t: string): void => {
    if (capture !== undefined) capture += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  let lastClosed: string | undefined;
  parser.on('closetag', () => {
    const name = stack.pop();
    lastClosed = name;
    const parent = stack[stack.length - 1];
    const text = capture;
    capture = undefined;
    if (parent === 'entete' && text !== undefined) {
      const v = text.trim();
      if (name === 'editeur') header.editor = v;
      else if (name === 'application') header.application = v;
      else if (name === 'appliVersion') header.applicationVersion = v;
      else if (name === 'etablissement') header.uai = v;
    } else if (periodic && text !== undefined) {
      if (name === 'acquis-conseils') {
        periodic.generalAppraisal = text;
        periodic.hasGeneralAppraisal = text.trim() !== '';
      } else if (name === 'appreciation' && parent === 'acquis') {
        const last = periodic.subjects[periodic.subjects.length - 1];
        if (last) last.appraisal = text;
      } else if (name === 'commentaire' && parent === 'vie-scolaire' && periodic.vieScolaire) periodic.vieScolaire.comment = text;
    } else if (name === 'bilan-periodique' && periodic) {
      periodic.hasVieScolaire = periodic.vieScolaire !== undefined && vieScolaireHasContent(periodic.vieScolaire);
      ready.push(periodic);
      counts.periodic += 1;
      periodic = undefined;
    } else if (name === 'bilan-cycle' && cycle) {
      ready.push(cycle);
      counts.cycle += 1;
      cycle = undefined;
    }
  });

  const feed = (text: string, last: boolean): void => {
    try {
      parser.write(text);
      if (last) parser.close();
    } catch (error) {
      if (error instanceof ExchangeFileError) throw error;
      const open = /unexpected close tag/.test((error as Error).message) ? lastClosed : stack[stack.length - 1];
      throw saxesFailure(file, error as Error, parser.line, open === undefined ? undefined : { name: open });
    }
  };
  const deliver = async (): Promise<void> => {
    for (const b of ready.splice(0)) await onBilan(b, referentials);
  };

  let total = 0;
  let decoder: ReturnType<typeof makeDecoder> | undefined;
  let started = false;
  try {
    for await (const raw of input) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : (raw as Buffer);
      total += chunk.length;
      if (total > MAX_XML_BYTES) assertReadableSize(file, total);
      let body = chunk;
      if (!decoder) {
        decoder = makeDecoder(file, chunk);
        body = decoder.body;
      }
      const text = decoder.decode(body);
      if (!started && text.trim() !== '') {
        started = true;
        if (!text.trimStart().startsWith('<')) throw new ExchangeFileError(file, 'not-xml', "ce n'est pas un fichier XML (il ne commence pas par une balise).");
      }
      feed(text, false);
      await deliver();
    }
    if (total === 0) throw new ExchangeFileError(file, 'empty', 'le fichier est vide.');
    if (!started) throw new ExchangeFileError(file, 'empty', 'le fichier ne contient que des espaces.');
    feed(decoder ? decoder.decode(Buffer.alloc(0), true) : '', true);
    await deliver();
  } finally {
    if (typeof source === 'string') (input as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
  return { header, referentials, counts, idViolations: idRefs.finish() };
}
