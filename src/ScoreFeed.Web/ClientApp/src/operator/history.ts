// The pins and the audit of the match shown, as list items: each pin beside what the feed says, with its release;
// each audit entry with what it changed, and an undo that asks for a reason first.
import type { MatchState } from '../lib/contract';
import { find, h } from '../ui/dom';
import type { AuditEntry, Pin } from './api';
import { actionText, dateTime, fieldName, valueText } from './labels';

/** One row per pinned field, or one that says none is. */
export function pinRows(pins: Record<string, Pin>, state: MatchState, release: (field: string) => void): HTMLLIElement[] {
  const entries = Object.entries(pins);
  if (entries.length === 0) {
    return [h('li', { class: 'op-none' }, 'No field is pinned: the feed drives every value.')];
  }
  return entries.map(([name, pin]) => {
    const button = h('button', { type: 'button', 'data-field': name }, `Release ${fieldName(name)}`);
    button.addEventListener('click', () => release(name));
    return h('li', { class: 'op-pin', 'data-field': name },
      h('span', { class: 'op-pin-field' }, fieldName(name)),
      h('span', { class: 'op-pin-value' }, `pinned: ${valueText(name, pin.value, state)}`),
      h('span', { class: 'op-pin-feed' }, `feed says: ${valueText(name, pin.feed, state)}`),
      h('span', { class: 'op-pin-by' }, `by ${pin.by}, ${dateTime.format(new Date(pin.at))}: ${pin.reason}`),
      button);
  });
}

export function noAudit(): HTMLLIElement {
  return h('li', { class: 'op-none' }, 'No operator has changed this match.');
}

/** What an audit entry's undo asks of the match detail. */
export interface UndoActions {
  say(text: string): void;
  /** Undoes the entry; `done` closes the undo form once it worked. */
  undo(entry: AuditEntry, reason: string, done: () => void): void;
}

export function auditItem(entry: AuditEntry, state: MatchState, actions: UndoActions): HTMLLIElement {
  const changes = Object.keys({ ...entry.before, ...entry.after })
    .map((name) => `${fieldName(name)}: ${valueText(name, entry.before[name], state)} → ${valueText(name, entry.after[name], state)}`);
  const item = h('li', { class: 'op-entry', 'data-entry': entry.id, 'data-action': entry.action },
    h('p', { class: 'op-entry-head' },
      h('strong', {}, actionText(entry)), ` by ${entry.operator}, `, h('time', { datetime: new Date(entry.at).toISOString() }, dateTime.format(new Date(entry.at))), ` (seq ${entry.seq})`),
    h('p', { class: 'op-entry-reason' }, `Reason: ${entry.reason}`),
    h('p', { class: 'op-entry-changes' }, changes.length ? changes.join('; ') : 'no value changed'));
  if (entry.action !== 'pin-cleared' && changes.length > 0) {
    item.append(undoButton(entry, item, actions));
  }
  return item;
}

/** "Undo", which opens a form asking for the reason, with a way back. */
function undoButton(entry: AuditEntry, item: HTMLLIElement, actions: UndoActions): HTMLButtonElement {
  const undo = h('button', { type: 'button', class: 'op-undo' }, 'Undo');
  undo.setAttribute('aria-label', `Undo ${actionText(entry).toLowerCase()} by ${entry.operator} at ${dateTime.format(new Date(entry.at))}`);
  undo.addEventListener('click', () => {
    undo.hidden = true;
    const reasonId = `op-undo-reason-${entry.id}`;
    const form = h('form', { class: 'op-undo-form' },
      h('label', { for: reasonId }, 'Reason for the undo'),
      h('input', { id: reasonId, required: '', maxlength: '500', autocomplete: 'off' }),
      h('button', { type: 'submit', class: 'op-primary' }, 'Confirm undo'));
    const cancel = h('button', { type: 'button' }, 'Cancel');
    cancel.addEventListener('click', () => {
      form.remove();
      undo.hidden = false;
      undo.focus();
    });
    form.append(cancel);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const reason = find<HTMLInputElement>(form, 'input')!.value.trim();
      if (!reason) {
        actions.say('A reason is required to undo.');
        find<HTMLInputElement>(form, 'input')!.focus();
        return;
      }
      actions.undo(entry, reason, () => {
        form.remove();
        undo.hidden = false;
      });
    });
    item.append(form);
    find<HTMLInputElement>(form, 'input')!.focus();
  });
  return undo;
}
