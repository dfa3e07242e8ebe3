import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenKeeper, renewDelay, tokenExpiry } from '@scorefeed/client';
import { ManualTimers, settle } from './fixtures';

const jwt = (exp: number) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ iss: 'news', exp })).toString('base64url')}.sig`;

test('a token is renewed at 80 % of its remaining life, at least 5 s before it ends', () => {
  assert.equal(tokenExpiry(jwt(1_000)), 1_000_000);
  assert.equal(tokenExpiry('not a token'), undefined);
  assert.equal(renewDelay(100_000, 0), 80_000);
  assert.equal(renewDelay(20_000, 0), 15_000);
  assert.equal(renewDelay(3_000, 0), 0);
});

test('the keeper connects with the current token, renews it before it expires and hands the new one on', async () => {
  const now = 1_000_000;
  const timers = new ManualTimers();
  const renewed: string[] = [];
  let fetched = 0;
  const keeper = new TokenKeeper({ token: jwt(now / 1000 + 100), fresh: async () => jwt(now / 1000 + 200 + fetched++) }, timers,
    async (token) => void renewed.push(token), () => now);

  assert.equal(await keeper.forConnect(), jwt(now / 1000 + 100));
  assert.deepEqual([...timers.pending.values()].map((t) => t.ms), [80_000]);
  timers.fireAll();
  await settle();
  assert.deepEqual(renewed, [jwt(now / 1000 + 200)]);
  assert.equal(keeper.token, jwt(now / 1000 + 200));
  // …and the next renewal is scheduled from the new expiry.
  assert.deepEqual([...timers.pending.values()].map((t) => t.ms), [160_000]);
  keeper.stop();
  assert.equal(timers.pending.size, 0);
});

test('an expired token is replaced by a fresh one before connecting; without a source it is kept as it is', async () => {
  const now = 1_000_000;
  const expired = jwt(now / 1000 - 10);
  const keeper = new TokenKeeper({ token: expired, fresh: async () => jwt(now / 1000 + 600) }, new ManualTimers(), async () => {}, () => now);
  assert.equal(await keeper.forConnect(), jwt(now / 1000 + 600));
  const bare = new TokenKeeper({ token: expired }, new ManualTimers(), async () => {}, () => now);
  assert.equal(await bare.forConnect(), expired);
});
