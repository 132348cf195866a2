// Streams an lsun-bilans file (PRONOTE → LSU) that validates against the schema of its
// schemaVersion. Bilans may come from a generator (sync or async iterable): nothing but the
// referentials is held in memory, so a 100 MB file costs a 64 kB buffer.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { escapeXml } from './xml.js';
import { LSU_NAMESPACE, lsuSchemaInfo, type LockDateRule } from './lsu-versions.js';
import type { LsuBilansDocument, LsuCycleBilan, LsuPeriodicBilan } from './types.js';

/** Writer input: a document whose bilans may be produced lazily. */
export type LsuBilansSource = Omit<LsuBilansDocument, 'periodic' | 'cycle'> & {
  periodic: Iterable<LsuPeriodicBilan> | AsyncIterable<LsuPeriodicBilan>;
  cycle: Iterable<LsuCycleBilan> | AsyncIterable<LsuCycleBilan>;
};

/**
 * Values the schema requires but our document types do not always carry. They are neutral and
 * gathered here so that a generated file is obviously generated.
 */
export const LSU_WRITER_DEFAULTS = {
  responsableEtab: { ref: 'RESP_ETAB', label: "Chef d'établissement" },
  generalAppraisal: 'Bilan de la période.',
  vieScolaireComment: 'Vie scolaire renseignée.',
  synthesis: 'Synthèse des acquis du cycle.',
  socleDomains: ['CPD_FRA', 'CPD_ETR', 'CPD_SCI', 'CPD_ART', 'MET_APP', 'FRM_CIT', 'SYS_NAT', 'REP_MND'],
  soclePositioning: 3,
} as const;

const FLUSH_AT = 64 * 1024;

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function periodicXml(b: LsuPeriodicBilan, resp: string, lockRule: LockDateRule): string {
  const lock = lockRule === 'forbidden' ? undefined : (b.lockDate ?? (lockRule === 'required' ? b.councilDate : undefined));
  const lines = [
    `      <bilan-periodique${attrs({
      'eleve-ref': b.pupilRef, 'periode-ref': b.periodRef, 'date-conseil-classe': b.councilDate, 'date-scolarite': b.schoolingDate,
      'date-verrou': lock, 'responsable-etab-ref': resp, 'prof-princ-refs': b.mainTeacherRefs.join(' '),
    })}>`,
    '        <liste-acquis>',
  ];
  for (const s of b.subjects) {
    const open = `          <acquis${attrs({ 'discipline-ref': s.disciplineRef, 'enseignant-refs': s.teacherRefs.join(' ') })}`;
    lines.push(s.appraisal === undefined ? `${open}/>` : `${open}>\n            <appreciation>${escapeXml(s.appraisal)}</appreciation>\n          </acquis>`);
  }
  lines.push('        </liste-acquis>');
  // Without a general appraisal the bilan cannot be valid: it is left out on purpose, so that a
  // generator can produce that anomaly.
  if (b.hasGeneralAppraisal) lines.push(`        <acquis-conseils>${escapeXml(b.generalAppraisal ?? LSU_WRITER_DEFAULTS.generalAppraisal)}</acquis-conseils>`);
  const v = b.vieScolaire ?? { lates: 0, justifiedAbsences: 0, unjustifiedAbsences: 0 };
  const counters = attrs({ 'nb-retards': v.lates, 'nb-abs-justifiees': v.justifiedAbsences, 'nb-abs-injustifiees': v.unjustifiedAbsences, 'nb-heures-manquees': v.missedHours });
  const comment = v.comment ?? (b.hasVieScolaire && v.lates + v.justifiedAbsences + v.unjustifiedAbsences === 0 ? LSU_WRITER_DEFAULTS.vieScolaireComment : undefined);
  if (b.hasVieScolaire && comment !== undefined) {
    lines.push(`        <vie-scolaire${counters}>`, `          <commentaire>${escapeXml(comment)}</commentaire>`, '        </vie-scolaire>');
  } else {
    lines.push(`        <vie-scolaire${b.hasVieScolaire ? counters : attrs({ 'nb-retards': 0, 'nb-abs-justifiees': 0, 'nb-abs-injustifiees': 0 })}/>`);
  }
  lines.push('      </bilan-periodique>', '');
  return lines.join('\n');
}

function cycleXml(b: LsuCycleBilan, resp: string, lockRule: LockDateRule): string {
  const created = b.creationDate ?? `${b.millesime + 1}-06-30`;
  const socle = b.socle ?? LSU_WRITER_DEFAULTS.socleDomains.map((code) => ({ code, positioning: LSU_WRITER_DEFAULTS.soclePositioning }));
  return [
    `      <bilan-cycle${attrs({
      'eleve-ref': b.pupilRef, cycle: b.cycle, millesime: b.millesime, 'date-creation': created,
      'date-verrou': lockRule === 'required' ? created : undefined, 'responsable-etab-ref': resp, 'prof-princ-refs': b.mainTeacherRefs.join(' '),
    })}>`,
    '        <socle>',
    ...socle.map((d) => `          <domaine${attrs({ code: d.code, positionnement: d.positioning })}/>`),
    '        </socle>',
    `        <synthese>${escapeXml(b.synthesis ?? LSU_WRITER_DEFAULTS.synthesis)}</synthese>`,
    '      </bilan-cycle>',
    '',
  ].join('\n');
}

function referentialsXml(doc: LsuBilansSource, resp: { ref: string; label: string }): string {
  const list = (wrapper: string, items: string[]): string[] => (items.length === 0 ? [] : [`    <${wrapper}>`, ...items, `    </${wrapper}>`]);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<lsun-bilans xmlns="${LSU_NAMESPACE}"${attrs({ schemaVersion: doc.schemaVersion })}>`,
    '  <entete>',
    `    <editeur>${escapeXml(doc.editor)}</editeur>`,
    `    <application>${escapeXml(doc.application)}</application>`,
    `    <appliVersion>${escapeXml(doc.applicationVersion)}</appliVersion>`,
    `    <etablissement>${escapeXml(doc.uai)}</etablissement>`,
    '  </entete>',
    '  <donnees>',
    ...list('responsables-etab', [`      <responsable-etab${attrs({ id: resp.ref, libelle: resp.label })}/>`]),
    '    <eleves>',
    ...doc.pupils.map((p) => `      <eleve${attrs({ id: p.ref, 'id-be': p.idBe, nom: p.lastName, prenom: p.firstName, 'code-division': p.division })}/>`),
    '    </eleves>',
    ...list('periodes', doc.periods.map((p) => `      <periode${attrs({ id: p.ref, millesime: p.millesime, indice: p.index, 'nb-periodes': p.count })}/>`)),
    ...list('disciplines', doc.disciplines.map((d) => `      <discipline${attrs({ id: d.ref, code: d.code, 'code-national': d.nationalCode, 'modalite-election': d.modaliteElection, libelle: d.label })}/>`)),
    ...list('enseignants', doc.teachers.map((t) => `      <enseignant${attrs({ id: t.ref, type: t.type, 'id-sts': t.idSts, civilite: t.civility, nom: t.lastName, prenom: t.firstName })}/>`)),
    '',
  ].join('\n');
}

async function* lazily<T>(items: Iterable<T> | AsyncIterable<T>): AsyncGenerator<T> {
  for await (const item of items) yield item;
}

/**
 * Writes the document to a stream or a path. The schemaVersion selects the schema rules
 * (date-verrou required ≤ 3.0, forbidden in 10.0). A path that fails half-way is deleted. A stream
 * passed in is ended unless `end: false`.
 */
export async function writeLsuBilans(doc: LsuBilansSource, out: NodeJS.WritableStream | string, options: { end?: boolean } = {}): Promise<{ bytes: number }> {
  const info = lsuSchemaInfo(doc.schemaVersion);
  if (!info) throw new Error(`schemaVersion LSU « ${doc.schemaVersion} » inconnue : aucun schéma connu pour cette version.`);
  const stream = typeof out === 'string' ? createWriteStream(out) : out;
  const resp = doc.responsableEtab ?? LSU_WRITER_DEFAULTS.responsableEtab;
  let pending = '';
  let bytes = 0;
  const push = async (text: string, force = false): Promise<void> => {
    pending += text;
    if (pending.length < FLUSH_AT && !force) return;
    const chunk = Buffer.from(pending, 'utf8');
    bytes += chunk.length;
    pending = '';
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  try {
    await push(referentialsXml(doc, resp));
    let opened = false;
    for await (const b of lazily(doc.periodic)) {
      if (!opened) await push('    <bilans-periodiques>\n');
      opened = true;
      await push(periodicXml(b, resp.ref, info.lockDate));
    }
    if (opened) await push('    </bilans-periodiques>\n');
    opened = false;
    for await (const b of lazily(doc.cycle)) {
      if (!opened) await push('    <bilans-cycle>\n');
      opened = true;
      await push(cycleXml(b, resp.ref, info.lockDate));
    }
    if (opened) await push('    </bilans-cycle>\n');
    await push('  </donnees>\n</lsun-bilans>\n', true);
    if (typeof out === 'string' || options.end !== false) {
      stream.end();
      await once(stream, 'finish');
    }
  } catch (error) {
    if (typeof out === 'string') {
      (stream as NodeJS.WritableStream & { destroy(): void }).destroy();
      await unlink(out).catch(() => undefined);
    }
    throw error;
  }
  return { bytes };
}
