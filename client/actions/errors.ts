// What an operator's action refuses, in French, for the CLI (exit code) and the dashboard (HTTP
// status) alike. `kind` lets each of them choose its own answer without parsing messages.
export type RefusalKind = 'not-found' | 'conflict' | 'unavailable';

export class ActionRefused extends Error {
  constructor(readonly kind: RefusalKind, message: string) {
    super(message);
    this.name = 'ActionRefused';
  }
}
