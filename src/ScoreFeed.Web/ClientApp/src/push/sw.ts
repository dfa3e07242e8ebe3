// The service worker of goal alerts, served at /sw.js (scope: the whole site). It shows each push as a notification
// and opens (or focuses) the match page when the fan clicks it. The push payload is the server's AlertPayload:
// { kind, matchId, title, body, url, tag, epoch, seq } (docs/push.md).

// The DOM typings have no service worker scope: the few members used here.
interface PushMessageLike { json(): unknown; text(): string }
interface ExtendableEventLike extends Event { waitUntil(promise: Promise<unknown>): void }
interface PushEventLike extends ExtendableEventLike { readonly data: PushMessageLike | null }
interface NotificationEventLike extends ExtendableEventLike { readonly notification: Notification }
interface WindowClientLike { url: string; focus(): Promise<unknown>; navigate(url: string): Promise<unknown> }
interface WorkerScope {
  registration: ServiceWorkerRegistration;
  location: Location;
  clients: {
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: string, listener: (event: Event) => void): void;
}

declare const self: WorkerScope;

export interface AlertPayload {
  kind: string;
  matchId: string;
  title: string;
  body: string;
  url: string;
  tag: string;
  epoch?: string;
  seq?: number;
}

/** The payload of a push, or a generic one when it is not ours (a push service's test message). */
export function readPayload(data: PushMessageLike | null): AlertPayload {
  try {
    const value = data?.json() as Partial<AlertPayload> | undefined;
    if (value && typeof value.title === 'string') {
      return {
        kind: String(value.kind ?? ''),
        matchId: String(value.matchId ?? ''),
        title: value.title,
        body: String(value.body ?? ''),
        url: safeUrl(value.url),
        tag: String(value.tag ?? ''),
      };
    }
  } catch {
    // not JSON: fall through
  }
  return { kind: '', matchId: '', title: 'ScoreFeed', body: data?.text() ?? '', url: '/', tag: '' };
}

/** Only a path on this site: a payload never sends the fan elsewhere. */
export function safeUrl(url: unknown): string {
  return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') ? url : '/';
}

self.addEventListener('install', () => {
  void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  (event as ExtendableEventLike).waitUntil(self.clients.claim());
});

self.addEventListener('push', (event) => {
  const push = event as PushEventLike;
  const alert = readPayload(push.data);
  const options: NotificationOptions = { body: alert.body, data: { url: alert.url, kind: alert.kind, matchId: alert.matchId } };
  if (alert.tag) {
    options.tag = alert.tag; // "goal disallowed" replaces its goal's notification
  }
  push.waitUntil(self.registration.showNotification(alert.title, options));
});

self.addEventListener('notificationclick', (event) => {
  const click = event as NotificationEventLike;
  click.notification.close();
  const url = new URL(safeUrl((click.notification.data as { url?: unknown } | null)?.url), self.location.origin).href;
  click.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(async (windows) => {
      const same = windows.find((w) => w.url === url);
      if (same) {
        await same.focus();
        return;
      }
      const any = windows[0];
      if (any) {
        await any.navigate(url);
        await any.focus();
        return;
      }
      await self.clients.openWindow(url);
    }),
  );
});
