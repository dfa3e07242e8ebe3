// Goal alerts on the fan pages: offered only once the fan has followed something (the star's click is theirs), kept
// in step with what they follow afterwards. The work is push/alerts.ts; this is the prompt.
import { t } from '../i18n';
import { alertsLanguageChanged, alertsSupported, enableAlerts, updateAlerts } from '../push/alerts';
import { h } from './dom';
import type { Following } from './follow';

const dismissedKey = 'sf-alerts-prompt';

/** `say` tells the outcome (the page's toasts). */
export function setUpAlerts(following: Following, say: (text: string) => void): void {
  if (!alertsSupported()) {
    return;
  }
  let prompt: HTMLElement | undefined;
  const close = () => {
    prompt?.remove();
    prompt = undefined;
  };
  const offer = () => {
    if (prompt || localStorage.getItem(dismissedKey) === 'no') {
      return;
    }
    const turnOn = h('button', { type: 'button', class: 'sf-alerts-on' }, t('alerts.turnOn'));
    const notNow = h('button', { type: 'button', class: 'sf-alerts-later' }, t('alerts.notNow'));
    prompt = h('div', { class: 'sf-alerts-prompt', role: 'region', 'aria-label': t('alerts.turnOn') }, h('p', {}, t('alerts.prompt')), turnOn, notNow);
    document.body.append(prompt);
    turnOn.addEventListener('click', async () => {
      close();
      try {
        const result = await enableAlerts(following.all);
        if (result !== 'unsupported') {
          say(t(result === 'granted' ? 'alerts.on' : 'alerts.blocked'));
        }
      } catch {
        say(t('alerts.failed'));
      }
    });
    notNow.addEventListener('click', () => {
      localStorage.setItem(dismissedKey, 'no');
      close();
    });
  };
  void alertsLanguageChanged(following.all).catch(() => false);
  following.onChange(async (_entry, followed) => {
    // Alerts already on: only the list changes (none left turns them off). Otherwise a new follow offers them.
    const on = await updateAlerts(following.all).catch(() => true);
    if (!on && followed) {
      offer();
    }
  });
}
