// Goal alerts through Web Push, for the fan pages (docs/push.md, "The page"). The caller asks for alerts only after
// the fan follows something (browsers want the permission prompt to follow a user's action):
//
//   import { alertsSupported, enableAlerts, updateAlerts, disableAlerts } from '../push/alerts';
//   if (alertsSupported()) { const result = await enableAlerts(['t:arsenal', 'm:sim3-6b07']); }
//
// The server side is off unless the site enables it: then GET /api/v1/push/key answers 404 and enableAlerts
// resolves 'unsupported'.

import { language } from '../i18n';

export type AlertsResult = 'granted' | 'denied' | 'unsupported';

const workerUrl = '/sw.js';
const keyUrl = '/api/v1/push/key';
const subscriptionUrl = '/api/v1/push/subscription';
/** The language the server writes this browser's alerts in, as last sent. */
const languageKey = 'sf-alerts-lang';

/** Whether this browser can receive alerts at all (service workers, Push API, notifications; a secure context). */
export function alertsSupported(): boolean {
  return typeof window !== 'undefined' && window.isSecureContext && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** The follow list as the API takes it: t:{teamId} and m:{matchId} entries, as the sf-follow cookie holds them. */
export function followEntries(follow: readonly string[]): string[] {
  return [...new Set(follow.filter((f) => /^[tm]:[A-Za-z0-9_-]{1,64}$/.test(f)))].slice(0, 50);
}

/** Registers the service worker, asks for permission, subscribes with the site's VAPID key and stores the subscription. */
export async function enableAlerts(follow: readonly string[]): Promise<AlertsResult> {
  if (!alertsSupported()) {
    return 'unsupported';
  }
  const key = await fetch(keyUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!key.ok) {
    return 'unsupported'; // push is not enabled on this site
  }
  const { publicKey } = (await key.json()) as { publicKey: string };
  const registration = await navigator.serviceWorker.register(workerUrl, { scope: '/' });
  const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
  if (permission !== 'granted') {
    return 'denied';
  }
  await navigator.serviceWorker.ready;
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription, publicKey)) {
    await subscription.unsubscribe(); // the site's key changed: a subscription is bound to one key
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: decode(publicKey) });
  await put(subscription, follow);
  return 'granted';
}

/** Sends the new follow list for the existing subscription (after a follow or unfollow); false if there is none. */
export async function updateAlerts(follow: readonly string[]): Promise<boolean> {
  const subscription = await current();
  if (!subscription) {
    return false;
  }
  if (followEntries(follow).length === 0) {
    await disableAlerts();
    return true;
  }
  await put(subscription, follow);
  return true;
}

/** Stops alerts: the server forgets the subscription and the browser drops it. */
export async function disableAlerts(): Promise<void> {
  const subscription = await current();
  if (!subscription) {
    return;
  }
  await send('DELETE', { endpoint: subscription.endpoint });
  await subscription.unsubscribe();
}

/** Whether alerts are on in this browser (a subscription exists and notifications are allowed). */
export async function alertsEnabled(): Promise<boolean> {
  return alertsSupported() && Notification.permission === 'granted' && (await current()) !== null;
}

async function current(): Promise<PushSubscription | null> {
  if (!alertsSupported()) {
    return null;
  }
  const registration = await navigator.serviceWorker.getRegistration('/');
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** Alerts on, written in another language than the page's (the fan switched): sends the page's; false if nothing to do. */
export async function alertsLanguageChanged(follow: readonly string[]): Promise<boolean> {
  return localStorage.getItem(languageKey) !== language() && (await current()) !== null && (await updateAlerts(follow));
}

async function put(subscription: PushSubscription, follow: readonly string[]): Promise<void> {
  // The page's language: the server writes this browser's alerts in it.
  await send('PUT', { subscription: subscription.toJSON(), follow: followEntries(follow), lang: language() });
  localStorage.setItem(languageKey, language());
}

async function send(method: 'PUT' | 'DELETE', body: unknown): Promise<void> {
  const response = await fetch(subscriptionUrl, {
    method,
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${method} ${subscriptionUrl}: ${response.status}`);
  }
}

function sameKey(subscription: PushSubscription, publicKey: string): boolean {
  const key = subscription.options.applicationServerKey;
  if (!key) {
    return true;
  }
  return encode(new Uint8Array(key)) === publicKey.replace(/=+$/, '');
}

export function decode(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

export function encode(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
