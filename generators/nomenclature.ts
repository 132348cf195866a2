// Real nomenclature codes, copied from real SIECLE exports in shared/formats/siecle-bee-exports:
// collège MEFs from dossiersco-fixtures/nomenclature_tout_niveau.xml, lycée MEFs and every subject
// from Nomenclature-2019-20.xml (a 2019 lycée export: 1re is already "reformed", Tle still in
// series, exactly as in 2019-2020). Nothing here is invented except the choice of which subjects a
// generated school teaches, and the weekly hours of the PROGRAMMES (plausible, not official).

export interface MefDef {
  code: string;
  formation: string;
  longLabel: string;
  editionLabel: string;
  mefstat: string;
  opening: string;
  /** 31/12/9999 = open-ended in BEE; ISO here. */
  closing: string;
}

export interface SubjectDef {
  code: string;
  codeGestion: string;
  shortLabel: string;
  longLabel: string;
  editionLabel: string;
}

export const MEFS: Record<string, MefDef> = Object.fromEntries(
  ([
    ['10010012110', '6EME', '6EME', '6ème', '21110010012', '1995-09-01', '9999-12-31'],
    ['10110001110', '5G', '5EME', '5ème', '21120010001', '1992-09-01', '9999-12-31'],
    ['10210001110', '4G', '4EME', '4ème', '21150010001', '1992-09-01', '9999-12-31'],
    ['10310019110', '3EME', '3EME', '3ème', '21160010019', '2002-09-01', '9999-12-31'],
    ['20010018110', '2-GT', '2NDE GENERALE ET TECHNOLOGIQUE', '2nde générale et technologique', '22111410018', '2019-09-01', '9999-12-31'],
    ['20110019110', '1G', 'PREMIERE GENERALE', 'Première générale', '22121810019', '2019-09-01', '9999-12-31'],
    ['21131016110', '1-STMG', '1-STMG SC. & TECHNO. MANAGEMENT GESTION', '1-stmg sc. & techno. management gestion', '22122231016', '2012-09-01', '9999-12-31'],
    ['20211010110', 'TS SVT', 'TERMINALE SCIENTIFIQUE SVT', 'Terminale scientifique svt', '22131111010', '2001-09-01', '2020-08-31'],
    ['20212005110', 'TES', 'TERMINALE ECONOMIQUE ET SOCIALE', 'Terminale economique et sociale', '22131312005', '2001-09-01', '2020-08-31'],
    ['21239903110', 'T-STMG', 'T-STMG SC.& TECHNO. MANAGEMENT GESTION', 'T-STMG sc.& techno. management gestion', '22132239903', '1993-09-01', '9999-12-31'],
  ] as const).map(([code, formation, longLabel, editionLabel, mefstat, opening, closing]) => [
    code,
    { code, formation, longLabel, editionLabel, mefstat, opening, closing },
  ]),
);

export const SUBJECTS: Record<string, SubjectDef> = Object.fromEntries(
  ([
    ['006600', 'ACCPE', 'ACCOMPAGNEMT. PERSO.', 'ACCOMPAGNEMENT PERSONNALISE', 'Accompagnement personnalisé'],
    ['008400', 'VICLA', 'VIE DE CLASSE', 'VIE DE CLASSE', 'Vie de classe'],
    ['010300', 'PHILO', 'PHILOSOPHIE', 'PHILOSOPHIE', 'Philosophie'],
    ['020300', 'LCALA', 'LCA LATIN', "LANGUES ET CULTURES DE L'ANTIQUITE LATIN", "Langues et cultures de l'Antiquité LATIN"],
    ['020700', 'FRANC', 'FRANCAIS', 'FRANCAIS', 'Français'],
    ['030102', 'ALL2', 'ALLEMAND LV2', 'ALLEMAND LV2', 'Allemand lv2'],
    ['030201', 'AGL1', 'ANGLAIS LV1', 'ANGLAIS LV1', 'Anglais lv1'],
    ['030602', 'ESP2', 'ESPAGNOL LV2', 'ESPAGNOL LV2', 'Espagnol lv2'],
    ['043700', 'HI-GE', 'HISTOIRE-GEOGRAPHIE', 'HISTOIRE-GEOGRAPHIE', 'Histoire-géographie'],
    ['043800', 'EMC', 'ENS. MORAL & CIVIQUE', 'ENSEIGNEMENT MORAL ET CIVIQUE', 'Enseignement moral et civique'],
    ['043900', 'HGGSP', 'HIST.GEO.GEOPOL.S.P.', 'HIST.-GEO. GEOPOLITIQUE & SC.POLITIQUES', 'Histoire-géographie, géopolitique et sciences politiques'],
    ['050700', 'SES', 'SC. ECONO.& SOCIALES', 'SCIENCES ECONOMIQUES ET SOCIALES', 'Sciences économiques et sociales'],
    ['061300', 'MATHS', 'MATHEMATIQUES', 'MATHEMATIQUES', 'Mathématiques'],
    ['062300', 'PH-CH', 'PHYSIQUE-CHIMIE', 'PHYSIQUE-CHIMIE', 'Physique-chimie'],
    ['062900', 'SVT', 'SCIENCES VIE & TERRE', 'SCIENCES DE LA VIE ET DE LA TERRE', 'Sciences de la vie et de la terre'],
    ['065300', 'G-SCI', 'ENSEIGN.SCIENTIFIQUE', 'ENSEIGNEMENT SCIENTIFIQUE', 'Enseignement scientifique'],
    ['074600', 'SNTEC', 'SC.NUMERIQ.TECHNOL.', 'SCIENCES NUMERIQUES ET TECHNOLOGIE', 'Sciences numériques et technologie'],
    ['074700', 'NSINF', 'NUMERIQUE SC.INFORM.', 'NUMERIQUE ET SCIENCES INFORMATIQUES', 'Numérique et sciences informatiques'],
    ['083200', 'MUSIQ', 'MUSIQUE', 'MUSIQUE', 'Musique'],
    ['090100', 'A-PLA', 'ARTS PLASTIQUES', 'ARTS PLASTIQUES', 'Arts plastiques'],
    ['100100', 'EPS', 'ED.PHYSIQUE & SPORT.', 'EDUCATION PHYSIQUE ET SPORTIVE', 'Education physique et sportive'],
    ['366800', 'DROEC', 'DROIT ET ECONOMIE', 'DROIT ET ECONOMIE', 'Droit et économie'],
    ['436800', 'MAGES', 'MANAGEMENT & GESTION', 'MANAGEMENT ET GESTION', 'Management et gestion'],
  ] as const).map(([code, codeGestion, shortLabel, longLabel, editionLabel]) => [
    code,
    { code, codeGestion, shortLabel, longLabel, editionLabel },
  ]),
);

/** Subjects taught to a whole division (modalité S, tronc commun), per MEF, with weekly hours. */
export const TRONC_COMMUN: Record<string, [subject: string, hours: number][]> = {
  '10010012110': [['020700', 4.5], ['061300', 4.5], ['030201', 4], ['043700', 3], ['043800', 0.5], ['062900', 1.5], ['062300', 1.5], ['100100', 4], ['090100', 1], ['083200', 1]],
  '10110001110': [['020700', 4.5], ['061300', 3.5], ['030201', 3], ['043700', 3], ['043800', 0.5], ['062900', 1.5], ['062300', 1.5], ['100100', 3], ['090100', 1], ['083200', 1]],
  '10210001110': [['020700', 4.5], ['061300', 3.5], ['030201', 3], ['043700', 3], ['043800', 0.5], ['062900', 1.5], ['062300', 1.5], ['100100', 3], ['090100', 1], ['083200', 1]],
  '10310019110': [['020700', 4], ['061300', 3.5], ['030201', 3], ['043700', 3], ['043800', 0.5], ['062900', 1.5], ['062300', 1.5], ['100100', 3], ['090100', 1], ['083200', 1]],
  '20010018110': [['020700', 4], ['061300', 4], ['030201', 3], ['043700', 3], ['043800', 0.5], ['062900', 1.5], ['062300', 3], ['100100', 2], ['050700', 1.5], ['074600', 1.5]],
  '20110019110': [['020700', 4], ['030201', 2.5], ['043700', 3], ['043800', 0.5], ['065300', 2], ['100100', 2]],
  '21131016110': [['020700', 3], ['030201', 2], ['043700', 1.5], ['043800', 0.5], ['061300', 3], ['436800', 4], ['366800', 4], ['100100', 2]],
  '20211010110': [['010300', 3], ['061300', 6], ['062300', 5], ['062900', 3.5], ['030201', 2], ['043700', 2], ['043800', 0.5], ['100100', 2]],
  '20212005110': [['010300', 4], ['050700', 5], ['061300', 4], ['030201', 2], ['043700', 4], ['043800', 0.5], ['100100', 2]],
  '21239903110': [['010300', 2], ['061300', 2], ['436800', 6], ['366800', 4], ['030201', 2], ['043700', 2], ['043800', 0.5], ['100100', 2]],
};

/** LV2 taught in cross-class groups (modalité O, option obligatoire), from 5e in a collège. */
export const LV2_SUBJECTS = ['030602', '030102'] as const;
/** Latin, option facultative (modalité F): the real nomenclature_simple.xml has it in 5EME. */
export const LATIN = '020300';
/** Spécialités of the reformed 1re (modalité O), taught in cross-class groups. */
export const SPECIALITES_1G = ['061300', '062300', '062900', '043900', '050700', '074700'] as const;

/** Half-class groups (TP) in this subject, per level. */
export const HALF_CLASS_SUBJECT = '062300';

export const COURSE_MODES: [code: string, short: string, long: string][] = [
  ['AT', 'ATELIER', 'ATELIER'],
  ['CG', 'COURS', 'COURS GENERAL'],
  ['TD', 'T.D', 'TRAVAUX DIRIGES'],
  ['AP', 'ATP', 'ATELIER DE PRATIQUE'],
  ['MO', 'MODULE', 'MODULE MONO-DISCIPLINAIRE'],
  ['TP', 'TP', 'TRAVAUX PRATIQUES'],
];

export const MODALITES_ELECTION: [code: string, short: string, long: string][] = [
  ['S', 'TRONC COMM', 'MATIERE ENSEIGNEE EN TRONC COMMUN'],
  ['O', 'OBLIGATOIR', 'MATIERE ENSEIGNEE OPTION OBLIGATOIRE'],
  ['F', 'FACULTATIF', 'MATIERE ENSEIGNEE OPTION FACULTATIVE'],
];
