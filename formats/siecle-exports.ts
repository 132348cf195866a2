// SIECLE / BEE XML exports (ExportXML_<Name>.zip, one XML each). Each reader takes the XML bytes
// (a zip is opened first by formats/archive.ts openXml); the implementation is split by export under formats/siecle/.
export { BEE_ROOTS, readBeeHeader, type SiecleKind } from './siecle/header.js';
export { readSiecleEleves } from './siecle/eleves.js';
export { readSiecleStructures } from './siecle/structures.js';
export { readSiecleNomenclature } from './siecle/nomenclature.js';
export { readSiecleCommuns, COMMUNS_ASSUMPTIONS } from './siecle/communs.js';
export { readSiecleResponsables, readSiecleHeaderOnly } from './siecle/responsables.js';
