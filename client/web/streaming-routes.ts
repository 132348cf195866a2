// Routes that read their body as a stream with their own cap (the upload: 100 Mo a file), and so
// skip the form body limit. Such a route must still bound what it reads, and takes the CSRF token
// from the `X-CSRF-Token` header or the `csrf` query parameter (its body is not parsed first).
const STREAMING: { method: string; path: RegExp }[] = [
  // The portal's upload (client/web/portal/routes.ts): the raw file, streamed to disk, 100 Mo at most.
  { method: 'PUT', path: /^\/etablissement\/[^/]+\/depot$/ },
];

export function isStreamingRoute(method: string, path: string): boolean {
  return STREAMING.some((route) => route.method === method && route.path.test(path));
}
