import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScoreFeedClient, defaultBackoff, parseRefusal, type ConnectionStatus, type SubscribeRequest } from '@scorefeed/client';
import { FakeHub, ManualTimers, settle, state, update } from './fixtures';

function setUp(options: { key?: string; seed?: number } = {}) {
  let hub!: FakeHub;
  const timers = new ManualTimers();
  const client = new ScoreFeedClient({
    hubUrl: 'http://hub.test/hubs/scores',
    key: options.key,
    connect: (url) => (hub = new FakeHub(url)),
    backoff: (n) => 1000 * (n + 1),
    timers,
  });
  const statuses: ConnectionStatus[] = [];
  client.onStatus((s) => statuses.push(s));
  if (options.seed !== undefined) {
    client.tracker.seed([state(options.seed)]);
  }
  return { client, hub, timers, statuses };
}

const request = (args: unknown[]) => args[0] as SubscribeRequest;

test('connects, subscribes to its topics with its positions, and reads live', async () => {
  const { client, hub, statuses } = setUp({ seed: 41 });
  void client.subscribe(['match:m1']);
  client.start();
  await settle();
  const subscribe = hub.next();
  assert.equal(subscribe.method, 'Subscribe');
  assert.deepEqual(request(subscribe.args), { topics: ['match:m1'], positions: { m1: { epoch: 'e1', seq: 41 } } });
  subscribe.resolve({ matches: [], recovered: [update(42)], rejected: [] });
  await settle();
  assert.equal(client.tracker.get('m1')!.seq, 42);
  assert.deepEqual(statuses, ['connecting', 'live']);
});

test('updates that arrive before the subscribe result are held, then applied once, in order', async () => {
  const { client, hub } = setUp();
  void client.subscribe(['match:m1']);
  client.start();
  await settle();
  const subscribe = hub.next();
  hub.push('update', update(6));
  hub.push('update', update(7));
  assert.equal(client.tracker.get('m1'), undefined);
  subscribe.resolve({ matches: [state(6)], recovered: [], rejected: [] });
  await settle();
  assert.equal(client.tracker.get('m1')!.seq, 7);
  assert.equal(client.tracker.duplicates, 1);
  assert.equal(hub.invocations.length, 0, 'nothing to recover');
});

test('a gap asks the hub for what was missed, once, with the positions held', async () => {
  const { client, hub } = setUp({ seed: 5 });
  void client.subscribe(['match:m1']);
  client.start();
  await settle();
  hub.next().resolve({ matches: [], recovered: [], rejected: [] });
  await settle();
  hub.push('update', update(8));
  hub.push('update', update(9));
  await settle();
  const recovery = hub.next();
  assert.deepEqual(request(recovery.args).positions, { m1: { epoch: 'e1', seq: 5 } });
  assert.equal(hub.invocations.length, 0, 'one recovery for the two updates after the gap');
  recovery.resolve({ matches: [], recovered: [update(6), update(7), update(8), update(9)], rejected: [] });
  await settle();
  assert.equal(client.tracker.get('m1')!.seq, 9);
});

test('a new epoch makes it subscribe again without that position, for a fresh snapshot', async () => {
  const { client, hub } = setUp({ seed: 5 });
  void client.subscribe(['match:m1']);
  client.start();
  await settle();
  hub.next().resolve({ matches: [], recovered: [], rejected: [] });
  await settle();
  hub.push('update', update(1, { epoch: 'e2' }));
  await settle();
  const again = hub.next();
  assert.deepEqual(request(again.args).positions, {});
  again.resolve({ matches: [state(1, { epoch: 'e2' })], recovered: [], rejected: [] });
  await settle();
  assert.equal(client.tracker.get('m1')!.epoch, 'e2');
});

test('after a dropped connection it reconnects with backoff and resumes from its positions', async () => {
  const { client, hub, timers, statuses } = setUp({ seed: 5 });
  void client.subscribe(['match:m1']);
  client.start();
  await settle();
  hub.next().resolve({ matches: [], recovered: [], rejected: [] });
  await settle();
  hub.push('update', update(6));

  hub.close(new Error('WebSocket closed with status code: 1006'));
  hub.starts.push(() => Promise.reject(new Error('refused')), () => Promise.reject(new Error('refused')));
  assert.deepEqual(timers.fireAll(), [1000]);
  await settle();
  assert.deepEqual(timers.fireAll(), [2000], 'the delay grows after each failed attempt');
  await settle();
  assert.deepEqual(timers.fireAll(), [3000]);
  await settle();
  const resume = hub.next();
  assert.deepEqual(request(resume.args), { topics: ['match:m1'], positions: { m1: { epoch: 'e1', seq: 6 } } });
  resume.resolve({ matches: [], recovered: [update(7), update(8)], rejected: [] });
  await settle();
  assert.equal(client.tracker.get('m1')!.seq, 8);
  assert.equal(hub.startCount, 4);
  assert.deepEqual(statuses, ['connecting', 'live', 'reconnecting', 'live']);
});

test('it reads offline after several failed attempts in a row, and keeps trying', async () => {
  const { client, hub, timers, statuses } = setUp();
  hub.starts.push(...Array.from({ length: 5 }, () => () => Promise.reject(new Error('down'))));
  client.start();
  for (let i = 0; i < 5; i++) {
    await settle();
    timers.fireAll();
  }
  await settle();
  assert.deepEqual(statuses, ['connecting', 'reconnecting', 'offline', 'live']);
  assert.equal(hub.startCount, 6);
});

test('a refusal is shown with its reason and not retried', async () => {
  const { client, hub, timers } = setUp({ key: 'nope' });
  const refusals: (string | undefined)[] = [];
  client.onStatus((s, r) => s === 'refused' && refusals.push(r?.code));
  void client.subscribe(['match:m1']);
  client.start();
  await settle();
  hub.close(new Error('Server returned an error on close: Connection closed with an error. HubException: scorefeed-refused:unknown-key: This widget is not enabled for this site. Unknown partner key.'));
  hub.next().reject(new Error('Invocation canceled due to the underlying connection being closed.'));
  await settle();
  assert.equal(client.status, 'refused');
  assert.deepEqual(refusals, ['unknown-key']);
  assert.equal(timers.pending.size, 0);
});

test('a refusal that comes with the handshake (start() rejects with it) is a refusal, not a reason to retry', async () => {
  const { client, hub, timers, statuses } = setUp({ key: 'nope' });
  hub.starts.push(() => Promise.reject(new Error('Server returned an error on close: Connection closed with an error. HubException: scorefeed-refused:unknown-key: This widget is not enabled for this site.')));
  void client.subscribe(['match:m1']);
  client.start();
  await settle();
  assert.equal(client.status, 'refused');
  assert.deepEqual(statuses, ['connecting', 'refused']);
  assert.equal(timers.pending.size, 0);
  assert.equal(hub.startCount, 1);
});

test('a partner over its limit is tried again after a while', async () => {
  const { client, hub, timers } = setUp({ key: 'busy' });
  client.start();
  await settle();
  hub.close(new Error('… HubException: scorefeed-refused:over-limit: Busy.'));
  assert.equal(client.status, 'refused');
  assert.deepEqual(timers.fireAll(), [60_000]);
  await settle();
  assert.equal(hub.startCount, 2);
  assert.equal(client.status, 'live');
});

test('the partner key goes in the query string', () => {
  const { hub } = setUp({ key: 'a b&c' });
  assert.equal(hub.url, 'http://hub.test/hubs/scores?key=a%20b%26c');
});

test('topics are counted: unsubscribing leaves a topic only when no one else follows it', async () => {
  const { client, hub } = setUp();
  client.start();
  await settle();
  void client.subscribe(['match:m1']);
  void client.subscribe(['match:m1', 'match:m2']);
  await settle();
  const first = hub.next();
  assert.deepEqual(request(first.args).topics, ['match:m1']);
  assert.equal(hub.invocations.length, 0, 'Subscribe calls run one after another');
  first.resolve({ matches: [], recovered: [], rejected: [] });
  await settle();
  const second = hub.next();
  assert.deepEqual(request(second.args).topics, ['match:m2'], 'a topic already followed is not subscribed again');
  second.resolve({ matches: [], recovered: [], rejected: [] });
  await settle();
  void client.unsubscribe(['match:m1']);
  await settle();
  assert.equal(hub.invocations.length, 0);
  void client.unsubscribe(['match:m1']);
  await settle();
  assert.deepEqual(hub.next().args, [['match:m1']]);
});

test('audience messages are kept per match', async () => {
  const { client, hub } = setUp();
  const seen: number[] = [];
  client.onAudience((m) => seen.push(m.watching));
  hub.push('audience', { matchId: 'm1', watching: 12 });
  assert.equal(client.audience('m1'), 12);
  assert.deepEqual(seen, [12]);
});

test('refusals are read from the close error the hub sends', () => {
  assert.deepEqual(parseRefusal(new Error('Server returned an error on close: Connection closed with an error. HubException: scorefeed-refused:origin-not-allowed: This widget is not enabled for this site.')),
    { code: 'origin-not-allowed', message: 'This widget is not enabled for this site.' });
  assert.equal(parseRefusal(new Error('WebSocket closed with status code: 1006 ().')), undefined);
  assert.equal(parseRefusal(undefined), undefined);
});

test('the default backoff doubles from 0.5 s up to 30 s, with jitter', () => {
  assert.equal(defaultBackoff(0, () => 1), 500);
  assert.equal(defaultBackoff(0, () => 0), 250);
  assert.equal(defaultBackoff(3, () => 1), 4000);
  assert.equal(defaultBackoff(20, () => 1), 30_000);
});
