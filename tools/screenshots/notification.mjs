// Shows a goal alert as a fan's desktop does and leaves it on screen for notification.sh to photograph: a real
// Chromium (not headless) on the X display in $DISPLAY opens the running site, registers its service worker
// (/sw.js), and gets a push delivered through the DevTools protocol — the payload the sender writes for a goal
// (docs/push.md). The worker's notification goes to the desktop's notification server (dunst, started by the script).
//   node notification.mjs http://127.0.0.1:5000 [lang]
import puppeteer from 'puppeteer-core';

const site = new URL(process.argv[2] ?? 'http://127.0.0.1:5000');
const lang = process.argv[3] ?? 'en';
const titles = { en: 'Goal! Northgate Rovers 2–1 Southend Lions', ar: 'هدف! Northgate Rovers 2–1 Southend Lions' };

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: false,
  defaultViewport: null,
  ignoreDefaultArgs: ['--enable-automation'],
  args: ['--no-sandbox', '--test-type', '--no-first-run', '--window-size=1000,700', '--window-position=0,0'],
});
try {
  const context = browser.defaultBrowserContext();
  await context.overridePermissions(site.origin, ['notifications']);
  const page = (await browser.pages())[0] ?? (await context.newPage());
  const cdp = await page.createCDPSession();
  const registrations = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  await page.goto(`${site.origin}/?lang=${lang}`, { waitUntil: 'networkidle2' });
  await page.evaluate(async () => {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    await navigator.serviceWorker.ready;
  });
  const deadline = Date.now() + 10_000;
  while (!registrations.some((r) => r.scopeURL === `${site.origin}/`) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const registration = registrations.find((r) => r.scopeURL === `${site.origin}/`);
  if (!registration) {
    throw new Error('the service worker did not register');
  }
  const payload = {
    kind: 'goal', matchId: 'sim-demo', title: titles[lang] ?? titles.en, body: "Okafor 67'",
    url: '/matches/sim-demo', tag: 'sim-demo:goal-g3', epoch: 'e1', seq: 42,
  };
  let shown = 0;
  for (let i = 0; i < 20 && shown === 0; i++) {
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: site.origin, registrationId: registration.registrationId, data: JSON.stringify(payload) });
    await new Promise((r) => setTimeout(r, 500));
    shown = await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length);
  }
  if (shown === 0) {
    throw new Error('no notification was shown');
  }
  console.log('notification shown');
  await new Promise((r) => setTimeout(r, Number(process.env.HOLD_MS ?? 4000)));
} finally {
  await browser.close();
}
