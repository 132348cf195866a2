// `synchro schools contacts` as a subprocess: addresses added and removed, listed as JSON, a
// malformed address or an unknown school refused.
import { afterAll, describe, expect, it } from 'vitest';
import { freshEnv, removeFreshDirs, runCli } from '../support/cli';

afterAll(removeFreshDirs);

describe('synchro schools contacts', () => {
  it("sets a school's addresses, and refuses a bad address or an unknown school", async () => {
    const env = await freshEnv();
    expect((await runCli(['schools', 'add', '0382032C', '--name', 'Collège Les Buclos', '--academie', 'Grenoble'], env)).code).toBe(0);
    const added = await runCli(['schools', 'contacts', '0382032c', '--add', 'Secretariat@College.test', '--add', 'ce@college.test', '--json'], env);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toEqual({ uai: '0382032C', contacts: ['ce@college.test', 'secretariat@college.test'] });
    const removed = await runCli(['schools', 'contacts', '0382032C', '--remove', 'ce@college.test', '--json'], env);
    expect(JSON.parse(removed.stdout)).toEqual({ uai: '0382032C', contacts: ['secretariat@college.test'] });
    const bad = await runCli(['schools', 'contacts', '0382032C', '--add', 'pas une adresse'], env);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('Adresse invalide');
    const unknown = await runCli(['schools', 'contacts', '0750680G', '--add', 'a@b.test'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Établissement 0750680G inconnu');
  }, 120_000);
});
