// The pins and the audit of the match shown, as list items: each pin beside what the feed says, with its release;
// each audit entry with what it changed, and an undo that asks for a reason first.
import type { MatchState } from '@scorefeed/client';
import { find, h } from '../ui/dom';
import type { AuditEntry, Pin } from './api';
import { actionText, fieldName, valueText } from './labels';
import { formatDateTime, ot } from './words';

/** One row per pinned field, or one that says none is. */
export function pinRows(pins: Record<string, Pin>, state: MatchState, release: (field: string) => void): HTMLLIElement[] {
  const entries = Object.entries(pins);
  if (entries.length === 0) {
    return [h('li', { class: 'op-none' }, ot('op.noPins'))];
  }
  return entries.map(([name, pin]) => {
    const button = h('button', { type: 'button', 'data-field': name }, ot('op.release', { field: fieldName(name) }));
    button.addEventListener('click', () => release(name));
    return h('li', { class: 'op-pin', 'data-field': name },
      h('span', { class: 'op-pin-field' }, fieldName(name)),
      h('span', { class: 'op-pin-value' }, ot('op.pinValue', { value: valueText(name, pin.value, state) })),
      h('span', { class: 'op-pin-feed' }, ot('op.feedSays', { value: valueText(name, pin.feed, state) })),
      h('span', { class: 'op-pin-by' }, ot('op.pinBy', { who: pin.by, at: formatDateTime(pin.at), reason: pin.reason })),
      button);
  });
}

export function noAudit(): HTMLLIElement {
  return h('li', { class: 'op-none' }, ot('op.noAudit'));
}

/** What an audit entry's undo asks of the match detail. */
export interface UndoActions {
  say(text: string): void;
  /** Undoes the entry; `done` closes the undo form once it worked. */
  undo(entry: AuditEntry, reason: string, done: () => void): void;
}

export function auditItem(entry: AuditEntry, state: MatchState, actions: UndoActions): HTMLLIElement {
  const changes = Object.keys({ ...entry.before, ...entry.after })
    .map((name) => ot('op.changed', { field: fieldName(name), before: valueText(name, entry.before[name], state), after: valueText(name, entry.after[name], state) }));
  const item = h('li', { class: 'op-entry', 'data-entry': entry.id, 'data-action': entry.action },
    h('p', { class: 'op-entry-head' },
      h('strong', {}, actionText(entry)), ` ${ot('op.entryBy', { who: entry.operator })} `,
      h('time', { datetime: new Date(entry.at).toISOString() }, formatDateTime(entry.at)), ` ${ot('op.entrySeq', { seq: String(entry.seq) })}`),
    h('p', { class: 'op-entry-reason' }, ot('op.entryReason', { reason: entry.reason })),
    h('p', { class: 'op-entry-changes' }, changes.length ? changes.join('; ') : ot('op.noChange')));
  if (entry.action !== 'pin-cleared' && changes.length > 0) {
    item.append(undoButton(entry, item, actions));
  }
  return item;
}

/** "Undo", which opens a form asking for the reason, with a way back. */
function undoButton(entry: AuditEntry, item: HTMLLIElement, actions: UndoActions): HTMLButtonElement {
  const undo = h('button', { type: 'button', class: 'op-undo' }, ot('op.undo'));
  undo.setAttribute('aria-label', ot('op.undoLabel', { action: actionText(entry), who: entry.operator, at: formatDateTime(entry.at) }));
  undo.addEventListener('click', () => {
    undo.hidden = true;
    const reasonId = `op-undo-reason-${entry.id}`;
    const form = h('form', { class: 'op-undo-form' },
      h('label', { for: reasonId }, ot('op.undoReason')),
      h('input', { id: reasonId, required: '', maxlength: '500', autocomplete: 'off' }),
      h('button', { type: 'submit', class: 'op-primary' }, ot('op.confirmUndo')));
    const cancel = h('button', { type: 'button' }, ot('op.cancel'));
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
        actions.say(ot('op.undoReasonRequired'));
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
