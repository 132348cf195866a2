// One error type for every unreadable exchange file. Activities turn it into a non-retryable
// failure (bad data is never retried); the message is in French because it is shown as is to
// the school's staff, and it always names the file and the problem.

export type ExchangeFileErrorCode =
  | 'empty'
  | 'not-xml'
  | 'truncated'
  | 'wrong-root'
  | 'encoding'
  | 'doctype'
  | 'too-large'
  | 'zip-unsafe'
  | 'parse-crashed'
  | 'malformed';

export class ExchangeFileError extends Error {
  override readonly name = 'ExchangeFileError';
  readonly file: string;
  readonly code: ExchangeFileErrorCode;
  readonly line: number | undefined;

  constructor(file: string, code: ExchangeFileErrorCode, problem: string, line?: number) {
    const where = line === undefined ? '' : ` (ligne ${line})`;
    super(`Fichier « ${file} »${where} : ${problem}`);
    this.file = file;
    this.code = code;
    this.line = line;
  }
}

export function isExchangeFileError(error: unknown): error is ExchangeFileError {
  return error instanceof ExchangeFileError;
}
