// The client library as the package partners install (packages/client, @scorefeed/client): `npm pack` builds it
// and packs its JavaScript, type declarations and README, nothing else; what it packs loads in Node as its
// package.json says.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

const root = resolve('packages/client');
const modules = ['index', 'client', 'connection', 'contract', 'tracker', 'clock'];

interface Packed {
  name: string;
  version: string;
  files: { path: string }[];
}

function pack(): Packed {
  // prepack builds dist/ with tsc; --json keeps stdout to the report (the build's output goes to stderr).
  const out = execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return (JSON.parse(out) as Packed[])[0]!;
}

// Packed once: packing builds dist/, which the second test loads.
let packed: Packed;
before(() => {
  packed = pack();
});

test('npm pack builds the client and packs its JavaScript, type declarations and README only', () => {
  const files = packed.files.map((f) => f.path).sort();

  assert.equal(packed.name, '@scorefeed/client');
  assert.match(packed.version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  for (const module of modules) {
    assert.ok(files.includes(`dist/${module}.js`), `dist/${module}.js is packed`);
    assert.ok(files.includes(`dist/${module}.d.ts`), `dist/${module}.d.ts is packed`);
  }
  assert.ok(files.includes('README.md'));
  assert.ok(files.includes('package.json'));
  const others = files.filter((f) => !/^dist\/[a-z]+\.(js|d\.ts)$/.test(f) && f !== 'README.md' && f !== 'package.json');
  assert.deepEqual(others, [], 'nothing but the build, its types and the README (no sources, no tests)');
});

test('the packed entry points exist and load in Node with the client, tracker and contract', async () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const entry = manifest.exports['.'];
  for (const file of [manifest.main, manifest.types, entry.import, entry.types]) {
    assert.ok(existsSync(join(root, file)), `${file} exists after the build`);
  }
  assert.deepEqual(manifest.dependencies, { '@microsoft/signalr': manifest.dependencies['@microsoft/signalr'] });

  const client = await import(pathToFileURL(join(root, entry.import)).href);
  for (const name of ['ScoreFeedClient', 'MatchTracker', 'ServerClock', 'clockSeconds', 'parseRefusal', 'matchTopic', 'Methods']) {
    assert.ok(name in client, `exports ${name}`);
  }
  assert.equal(client.matchTopic('m1'), 'match:m1');
  assert.equal(new client.MatchTracker().all().length, 0);
});
