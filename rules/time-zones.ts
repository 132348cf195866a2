// The time zone of a school, from the département part of its UAI: DATA, overridable. Schedules
// run per académie in its own zone (a 22:30 nightly job is 22:30 in Nouméa, not in Paris).
export const DEPARTMENT_TIME_ZONES: Readonly<Record<string, string>> = {
  '971': 'America/Guadeloupe',
  '972': 'America/Martinique',
  '973': 'America/Cayenne',
  '974': 'Indian/Reunion',
  '975': 'America/Miquelon',
  '976': 'Indian/Mayotte',
  '983': 'Pacific/Noumea',
  '986': 'Pacific/Wallis',
  '987': 'Pacific/Tahiti',
};

export const DEFAULT_TIME_ZONE = 'Europe/Paris';

export function timeZoneOf(uai: string, table: Readonly<Record<string, string>> = DEPARTMENT_TIME_ZONES): string {
  return table[uai.slice(0, 3)] ?? DEFAULT_TIME_ZONE;
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
