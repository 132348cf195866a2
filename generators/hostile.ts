// Hostile inputs, the shapes an attacker (or a broken export) would send, for the tests (small
// instances) and `npm run bench hostile` (the full sizes of issue #14). Written straight as bytes:
// adm-zip itself takes minutes to build a million entries.
import { writeZip } from '../formats/archive';

/** A zip of `count` empty stored entries (zip64 end records past 65,535 entries). */
export function zipOfEmptyEntries(count: number): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < count; i += 1) {
    const name = Buffer.from(`e${i}.xml`);
    const local = Buffer.alloc(30 + name.length);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    name.copy(local, 30);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46 + name.length);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    name.copy(central, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const cd = Buffer.concat(centrals);
  const cdOffset = offset;
  const tail: Buffer[] = [];
  const zip64 = count > 0xfffe;
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(cd.length), 40);
    record.writeBigUInt64LE(BigInt(cdOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(cdOffset + cd.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : count, 8);
  end.writeUInt16LE(zip64 ? 0xffff : count, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([...locals, cd, ...tail, end]);
}

/** A BEE pupils export whose body is `count` tiny elements: well-formed, small per element. */
export function siecleExportOfTinyElements(uai: string, millesime: number, count: number): Buffer {
  const head = `<?xml version="1.0" encoding="ISO-8859-15"?>\n<BEE_ELEVES VERSION="3.0"><PARAMETRES><UAJ>${uai}</UAJ><ANNEE_SCOLAIRE>${millesime}</ANNEE_SCOLAIRE>` +
    `<DATE_EXPORT>01/09/${millesime}</DATE_EXPORT><HORODATAGE>01/09/${millesime} 08:00:00</HORODATAGE></PARAMETRES><DONNEES><ELEVES>`;
  return Buffer.concat([Buffer.from(head), Buffer.from('<a/>'.repeat(count)), Buffer.from('</ELEVES></DONNEES></BEE_ELEVES>\n')]);
}

/** An élève-groupe zip (official name) whose single XML is `bytes` long: a valid head, then padding elements. */
export function eleGroupeZipOfSize(uai: string, millesime: number, bytes: number): { name: string; zip: Buffer } {
  const base = `${uai}ELEGROUPE${millesime}${String(millesime % 100).padStart(2, '0')}0901080000`;
  const head = `<?xml version="1.0" encoding="ISO-8859-15"?>\n<IMPORT_ELEVES VERSION="1.4"><PARAMETRES><UAJ>${uai}</UAJ><ANNEE_SCOLAIRE>${millesime}</ANNEE_SCOLAIRE>` +
    `<DATE_IMPORT>01/09/${millesime}</DATE_IMPORT><NUM_ENVOI>1</NUM_ENVOI><LOGICIEL>PRONOTE</LOGICIEL></PARAMETRES><DONNEES><ELEVES>`;
  const tailText = '</ELEVES></DONNEES></IMPORT_ELEVES>\n';
  const pad = Math.max(0, bytes - head.length - tailText.length);
  const filler = '<!-- -->'.repeat(Math.floor(pad / 8)) + ' '.repeat(pad % 8);
  const xml = Buffer.from(head + filler + tailText);
  return { name: `${base}.zip`, zip: writeZip([{ name: `${base}.xml`, data: xml }]) };
}
