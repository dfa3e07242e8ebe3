// The same cases as the reference client's tests (tests/ScoreFeed.UnitTests/MatchTrackerTests.cs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MatchTracker } from '@scorefeed/client';
import { state, update } from './fixtures';

function subscribed(seq: number): MatchTracker {
  const tracker = new MatchTracker();
  tracker.beginSubscribe();
  tracker.completeSubscribe({ matches: [state(seq)] });
  return tracker;
}

test('the next seq applies and duplicates are dropped', () => {
  const tracker = subscribed(5);
  assert.equal(tracker.onUpdate(update(6)), 'none');
  assert.equal(tracker.onUpdate(update(6)), 'none');
  assert.equal(tracker.onUpdate(update(4)), 'none');
  assert.equal(tracker.get('m1')!.seq, 6);
  assert.equal(tracker.get('m1')!.home.score, 6);
  assert.equal(tracker.applied, 1);
  assert.equal(tracker.duplicates, 2);
});

test('a jump asks for recovery and is not applied', () => {
  const tracker = subscribed(5);
  assert.equal(tracker.onUpdate(update(8)), 'recover');
  assert.equal(tracker.get('m1')!.seq, 5);
  assert.equal(tracker.gaps, 1);
  assert.deepEqual(tracker.positions(), { m1: { epoch: 'e1', seq: 5 } });
});

test('recovered updates fill the gap in order', () => {
  const tracker = subscribed(5);
  tracker.onUpdate(update(8));
  tracker.beginSubscribe();
  const actions = tracker.completeSubscribe({ recovered: [update(6), update(7), update(8)] });
  assert.equal(actions.size, 0);
  assert.equal(tracker.get('m1')!.seq, 8);
});

test('a new epoch asks for a re-snapshot', () => {
  const tracker = subscribed(5);
  assert.equal(tracker.onUpdate(update(1, { epoch: 'e2' })), 'resnapshot');
  assert.equal(tracker.get('m1')!.epoch, 'e1');
  tracker.forget('m1');
  assert.deepEqual(tracker.positions(), {});
});

test('updates arriving before the subscribe result are held, then applied once', () => {
  const tracker = new MatchTracker();
  tracker.beginSubscribe();
  // Published between the group join and the snapshot read (6), and after it (7, 8).
  tracker.onUpdate(update(6));
  tracker.onUpdate(update(7));
  tracker.onUpdate(update(8));
  assert.equal(tracker.get('m1'), undefined);
  const actions = tracker.completeSubscribe({ matches: [state(6)] });
  assert.equal(actions.size, 0);
  assert.equal(tracker.get('m1')!.seq, 8);
  assert.equal(tracker.applied, 2);
  assert.equal(tracker.duplicates, 1);
});

test('an older snapshot does not undo newer live updates', () => {
  const tracker = subscribed(5);
  tracker.onUpdate(update(6));
  tracker.onUpdate(update(7));
  tracker.beginSubscribe();
  tracker.completeSubscribe({ matches: [state(6)] });
  assert.equal(tracker.get('m1')!.seq, 7);
});

test('an unknown match is adopted from its first update', () => {
  const tracker = new MatchTracker();
  const goal = { id: 'g1', type: 'goal', period: 1, seconds: 60 };
  assert.equal(tracker.onUpdate(update(12, { incident: goal })), 'none');
  assert.equal(tracker.get('m1')!.seq, 12);
  assert.deepEqual(tracker.get('m1')!.incidents, [goal]);
});

test('incidents are added and amended by id', () => {
  const tracker = subscribed(1);
  const goal = { id: 'g1', type: 'goal', period: 1, seconds: 60, player: 'Berg' };
  const card = { id: 'c1', type: 'yellow-card', period: 1, seconds: 90 };
  tracker.onUpdate(update(2, { incident: goal }));
  tracker.onUpdate(update(3, { incident: card }));
  tracker.onUpdate(update(4, { incident: { ...goal, player: 'Costa' } }));
  assert.deepEqual(tracker.get('m1')!.incidents, [{ ...goal, player: 'Costa' }, card]);
});

test('seeded states (server-rendered) give positions and are listened to like snapshots', () => {
  const changes: number[] = [];
  const tracker = new MatchTracker((s) => changes.push(s.seq));
  tracker.seed([state(41)]);
  assert.deepEqual(tracker.positions(), { m1: { epoch: 'e1', seq: 41 } });
  assert.equal(tracker.onUpdate(update(42)), 'none');
  assert.deepEqual(changes, [41, 42]);
});

test('listeners see the previous state, so a score change can be highlighted', () => {
  const seen: [number | undefined, number][] = [];
  const tracker = new MatchTracker((s, previous) => seen.push([previous?.home.score, s.home.score]));
  tracker.seed([state(1)]);
  tracker.onUpdate(update(2, { home: 1 }));
  assert.deepEqual(seen, [[undefined, 0], [0, 1]]);
});

test('an incident marked removed is dropped (an operator disallowed a goal)', () => {
  const tracker = subscribed(1);
  const goal = { id: 'g1', type: 'goal', period: 1, seconds: 60, player: 'Berg' };
  const card = { id: 'c1', type: 'yellow-card', period: 1, seconds: 90 };
  tracker.onUpdate(update(2, { incident: goal }));
  tracker.onUpdate(update(3, { incident: card }));
  tracker.onUpdate(update(4, { incident: { ...goal, removed: true } }));
  assert.deepEqual(tracker.get('m1')!.incidents, [card]);
  const fresh = new MatchTracker();
  fresh.onUpdate(update(9, { incident: { ...goal, removed: true } }));
  assert.deepEqual(fresh.get('m1')!.incidents, []);
});
