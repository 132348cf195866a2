// The upload route's limits, over real HTTP on the real server (sockets, not app.request): past
// UPLOADS_PER_MINUTE files from one address it answers 429 with a French report and Retry-After,
// before reading the body, and deposits nothing; another address keeps its own budget. And the
// audit row of an upload holds the address the sign-in rows hold: the hop the declared proxy
// appended to X-Forwarded-For with SYNCHRO_WEB_TRUST_PROXY on, the socket's peer with it off.
import { request } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { UPLOADS_PER_MINUTE } from '../../client/web/portal/routes';
import { listAudit } from '../../db/queries/audit';
import { PARIS, signInLink, usePortal } from '../unit/web/portal-harness';

const portal = usePortal();
const servers: ServerType[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; text: string; sent: number }

/** One request over a socket; a body of `bodyBytes` is streamed in 1 MB chunks until the server answers. */
function send(url: string, method: string, headers: Record<string, string>, body?: Buffer | { bytes: number }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(url, { method, headers }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, text, sent });
      });
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    if (!body) return void req.end();
    if (Buffer.isBuffer(body)) {
      sent = body.length;
      return void req.end(body);
    }
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pump = (): void => {
      while (sent < body.bytes && !answered) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (sent >= body.bytes) req.end();
    };
    pump();
  });
}

/** The app on a real socket, and a session of Paris's staff signed in through it (from `from`). */
async function paris(trustProxy: boolean, from: string): Promise<{ url: string; put: (name: string, body: Buffer | { bytes: number }, forwarded?: string) => Promise<Answer> }> {
  const listening = { port: 0, url: '' };
  const app = portal.webApp({ listening, trustProxy });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  listening.port = (server.address() as AddressInfo).port;
  const url = (listening.url = `http://127.0.0.1:${listening.port}`);
  const signedIn = await send(`${url}${await signInLink(portal.db, app, PARIS)}`, 'POST', { origin: url, 'x-forwarded-for': from });
  expect(signedIn.status).toBe(303);
  const cookie = String(signedIn.headers['set-cookie']).split(';')[0]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec((await send(`${url}/`, 'GET', { cookie })).text)![1]!;
  return {
    url,
    put: (name, body, forwarded = from) => send(`${url}/etablissement/${PARIS}/depot?nom=${encodeURIComponent(name)}`, 'PUT', {
      cookie, origin: url, 'x-csrf-token': csrf, 'content-type': 'application/octet-stream', 'x-forwarded-for': forwarded,
      'content-length': String(Buffer.isBuffer(body) ? body.length : body.bytes),
    }, body),
  };
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const stsInbox = () => readdir(path.join(portal.dataDir, 'schools', PARIS, 'sts', 'inbox')).catch((): string[] => []);

describe('the upload route over real HTTP', () => {
  it(`answers 429 past ${UPLOADS_PER_MINUTE} files a minute from one address, before reading the body, and counts each address on its own`, async () => {
    const { byRole } = await portal.generate(PARIS, { seed: 61 });
    const stsEmp = byRole['sts-emp']!;
    const session = await paris(true, '203.0.113.10');
    // Each of these is refused by the route itself (a hidden name), after the limit counted it.
    for (let i = 0; i < UPLOADS_PER_MINUTE; i += 1) {
      const answer = await session.put('.cache', Buffer.from('x'));
      expect(answer.status, `request ${i + 1}`).toBe(400);
    }
    // Over the limit: a valid file is refused, nothing deposited, the page's script gets a report fragment.
    const refused = await session.put(path.basename(stsEmp), await readFile(stsEmp));
    expect(refused.status).toBe(429);
    const seconds = Number(refused.headers['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(refused.text).toContain(`data-file="${path.basename(stsEmp)}" data-outcome="refused"`);
    expect(text(refused.text)).toContain(`Refusé, rien n'a été déposé : trop de fichiers envoyés depuis cette adresse (${UPLOADS_PER_MINUTE} par minute au plus) : réessayez dans ${seconds} s.`);
    expect(await stsInbox()).toEqual([]);

    // A 100 Mo body over the limit is answered at once: most of it is never sent.
    const big = await session.put('import_lsu_20260101120000.xml', { bytes: 100 * 1024 * 1024 });
    expect(big.status).toBe(429);
    expect(big.sent).toBeLessThan(50 * 1024 * 1024);
    expect(await readdir(path.join(portal.dataDir, 'uploads')).catch((): string[] => [])).toEqual([]);

    // Another address behind the same proxy has its own budget: its file is checked and deposited.
    const other = await session.put(path.basename(stsEmp), await readFile(stsEmp), '203.0.113.11');
    expect(other.status, other.text).toBe(200);
    expect(other.text).toContain('data-outcome="deposited"');
    expect(await stsInbox()).toEqual([path.basename(stsEmp)]);
  }, 120_000);

  it("records in the upload's audit row the forwarded address behind a declared proxy, and the socket's address otherwise", async () => {
    const { byRole } = await portal.generate(PARIS, { seed: 62 });
    const since = new Date();
    const uploads = async () => (await listAudit(portal.db, { uai: PARIS, since })).filter((e) => e.action === 'upload');

    const proxied = await paris(true, '198.51.100.7, 203.0.113.20');
    const first = byRole['emp-sts']!;
    expect((await proxied.put(path.basename(first), await readFile(first))).status).toBe(200);
    expect((await uploads()).map((e) => [(e.details as { name: string }).name, e.address])).toEqual([[path.basename(first), '203.0.113.20']]);

    // The same header without a declared proxy is the client's own text: the socket's peer is recorded.
    const direct = await paris(false, '203.0.113.20');
    const second = byRole['sts-emp']!;
    expect((await direct.put(path.basename(second), await readFile(second))).status).toBe(200);
    expect((await uploads()).map((e) => [(e.details as { name: string }).name, e.address])).toEqual([[path.basename(second), '127.0.0.1'], [path.basename(first), '203.0.113.20']]);

    // The sign-ins of those two sessions say the same, newest first.
    const signIns = (await listAudit(portal.db, { uai: PARIS, since })).filter((e) => e.action === 'sign-in');
    expect(signIns.map((e) => e.address)).toEqual(['127.0.0.1', '203.0.113.20']);
  }, 120_000);
});
