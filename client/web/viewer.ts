// Who is looking: the one value every page, action, download and JSON route checks before it
// answers. Set on the request by the sign-in middleware (OIDC session, local demo sign-in, or the
// bearer token for scripts); a route for a school the viewer cannot see answers 404, never 403,
// so that nothing tells a stranger the school's runs exist.
import type { Context } from 'hono';

export type ViewerKind = 'admin' | 'staff' | 'token';

export interface Viewer {
  kind: ViewerKind;
  /** OIDC `sub`, a local demo login, or "jeton" for the bearer token. */
  subject: string;
  /** Display name from the identity provider (never shown to other schools). */
  name?: string;
  /** UAIs this viewer works in or is responsible for; 'all' for académie admins and the token. */
  schools: ReadonlySet<string> | 'all';
}

/** Hono context variables set by the sign-in middleware. */
export interface ViewerVariables {
  viewer?: Viewer;
}

export function canSeeSchool(viewer: Viewer | undefined, uai: string): boolean {
  if (!viewer) return false;
  return viewer.schools === 'all' || viewer.schools.has(uai);
}

export function viewerOf(c: Context): Viewer | undefined {
  return (c.get as (key: string) => unknown)('viewer') as Viewer | undefined;
}

/** What the audit log records as "who". */
export function actorOf(viewer: Viewer): { subject: string; name?: string } {
  return viewer.kind === 'token' ? { subject: 'jeton' } : { subject: viewer.subject, ...(viewer.name && { name: viewer.name }) };
}
