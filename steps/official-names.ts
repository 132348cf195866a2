// The official names of the files each application exports, and the names told to whoever should
// drop a missing one: the steps look for these (the folder connector's inboxes hold them).
/** What each application exports, as found in its inbox (any UAI and year: the checks say if it is the right one). */
export const OFFICIAL_NAMES = {
  stsEmp: /^sts_emp_\w{8}_\d{4}\.xml$/i,
  empSts: /^emp_sts_\w{8}_\d{4}\.xml$/i,
  siecleExport: /^ExportXML_[A-Za-z]+\.zip$/,
  eleGroupe: /^\d{7}[A-Za-z]ELEGROUPE\d{4}\d{12}\.zip$/i,
  lsu: /^import_lsu_\d{14}\.xml$/i,
} as const;

/** The names told to the person (or script) who should drop the file: official patterns, no personal data. */
export const expectedName = {
  stsEmp: (uai: string, stsMillesime: number): string => `sts_emp_${uai}_${stsMillesime}.xml`,
  empSts: (uai: string, stsMillesime: number): string => `emp_sts_${uai}_${stsMillesime}.xml`,
  siecleExport: (name: string): string => `ExportXML_${name}.zip`,
  eleGroupe: (uai: string, millesime: number): string => `${uai}ELEGROUPE${millesime}<AAMMJJhhmmss>.zip`,
  lsu: (): string => 'import_lsu_<aaaammjjhhmmss>.xml',
};

/** LSU's state (locked and visés bilans, class settings) as `synchro check --reference` reads it. */
export const LSU_STATE_FILE = 'lsu-state.json';
