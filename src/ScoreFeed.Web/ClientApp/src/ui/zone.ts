// Times in the viewer's time zone, written as the server writes them (Pages/MatchView.cs: Kickoff, ZoneLabel), so a
// page the server painted with the zone from the `sf-tz` cookie shows the same text once the script takes over.
import { t, type MessageKey } from '../i18n';

let zone: string | undefined;

/** The browser's IANA time zone, e.g. "Europe/Madrid" ("UTC" if it cannot say); asked once (a formatter is costly). */
export function viewerZone(): string {
  if (zone === undefined) {
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    } catch {
      zone = 'UTC';
    }
  }
  return zone;
}

/** "UTC" for UTC itself; otherwise the offset east of Greenwich: "GMT", "GMT+1", "GMT+5:30", "GMT-3". */
export function zoneLabel(zone: string, offsetMinutes: number): string {
  if (zone === 'UTC' || zone === 'Etc/UTC') {
    return 'UTC';
  }
  if (offsetMinutes === 0) {
    return 'GMT';
  }
  const abs = Math.abs(offsetMinutes);
  const minutes = abs % 60;
  return `GMT${offsetMinutes < 0 ? '-' : '+'}${Math.floor(abs / 60)}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** "15:00 GMT+1" in the browser's zone, or "Fri 15:00 GMT+1" when `startsAt` is not on the viewer's today. */
export function kickoff(startsAt: number, now: number, zone: string = viewerZone()): string {
  const at = new Date(startsAt);
  const time = `${two(at.getHours())}:${two(at.getMinutes())} ${zoneLabel(zone, -at.getTimezoneOffset())}`;
  return new Date(now).toDateString() === at.toDateString() ? time : `${t(`day.${at.getDay()}` as MessageKey)} ${time}`;
}

/** What times are in: "Europe/Madrid (GMT+1)", or "UTC". */
export function zoneName(zone: string, now: number): string {
  const label = zoneLabel(zone, -new Date(now).getTimezoneOffset());
  return label === 'UTC' ? label : `${zone} (${label})`;
}

/**
 * Tells the server the browser's zone for the next page it paints (cookie `sf-tz`, a year). Returns true when the
 * page was painted for another zone (a first visit, or the device moved), so the caller repaints its times.
 */
export function rememberZone(zone: string = viewerZone()): boolean {
  const current = document.cookie.split('; ').find((c) => c.startsWith('sf-tz='))?.slice('sf-tz='.length);
  if (current === zone) {
    return false;
  }
  document.cookie = `sf-tz=${zone}; path=/; max-age=31536000; samesite=lax${location.protocol === 'https:' ? '; secure' : ''}`;
  return true;
}
