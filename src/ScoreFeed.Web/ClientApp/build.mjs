// Builds the front end into dist/ (embedded in ScoreFeed.Web by its .csproj):
//   app.js     the fan pages (scoreboard, match page, embed page)
//   widget.js  the embeddable widget, its CSS inlined
//   site.css   the pages' stylesheet
//   operator.js, operator.css   the operator console (/operator), apart so that no fan page loads it
//   sw.js      the service worker of goal alerts, served at /sw.js (a stable URL: never hashed)
//   partner-demo.js  the demo partner page's theme editor
// and checks the widget's own code stays within its budget (20 KB gzipped, the SignalR client counted apart).
//   node build.mjs           build
//   node build.mjs --tests   bundle test/*.test.ts into .test-build/ for node's test runner
import { build } from 'esbuild';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

const budget = 20 * 1024;
const common = { bundle: true, minify: true, target: 'es2020', legalComments: 'none', logLevel: 'warning' };

if (process.argv.includes('--tests')) {
  await rm('.test-build', { recursive: true, force: true });
  const tests = (await readdir('test')).filter((f) => f.endsWith('.test.ts')).map((f) => `test/${f}`);
  await build({ ...common, minify: false, entryPoints: tests, outdir: '.test-build', platform: 'node', format: 'esm', outExtension: { '.js': '.mjs' }, target: 'node18' });
  process.exit(0);
}

await rm('dist', { recursive: true, force: true });
await mkdir('dist', { recursive: true });

const css = async (entry) => (await build({ ...common, entryPoints: [entry], write: false, loader: { '.css': 'css' } })).outputFiles[0].text;
const widgetCss = await css('src/styles/widget.css');
await writeFile('dist/site.css', await css('src/styles/site.css'));
await writeFile('dist/operator.css', await css('src/styles/operator.css'));

await build({ ...common, entryPoints: { app: 'src/pages/main.ts', operator: 'src/operator/console.ts', 'partner-demo': 'src/partner-demo/editor.ts' }, outdir: 'dist', format: 'iife', platform: 'browser' });
await build({ ...common, entryPoints: { sw: 'src/push/sw.ts' }, outdir: 'dist', format: 'iife', platform: 'browser' });
const widget = { ...common, entryPoints: { widget: 'src/widget/widget.ts' }, format: 'iife', platform: 'browser', define: { __WIDGET_CSS__: JSON.stringify(widgetCss) } };
await build({ ...widget, outdir: 'dist' });

// The size budget: the widget without the SignalR client, and the SignalR client alone (what the widget uses of it).
const own = await build({ ...widget, write: false, external: ['@microsoft/signalr'] });
const signalr = await build({ ...common, stdin: { contents: "export { HubConnectionBuilder, HttpTransportType, LogLevel } from '@microsoft/signalr';", resolveDir: '.' }, format: 'iife', write: false });
const gz = (file) => gzipSync(file.contents, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const ownSize = gz(own.outputFiles[0]);
console.log(`widget.js: own code ${kb(ownSize)} gzipped (budget ${kb(budget)}), SignalR client ${kb(gz(signalr.outputFiles[0]))} gzipped`);
if (ownSize > budget) {
  console.error(`widget.js: own code is ${kb(ownSize)} gzipped, over its ${kb(budget)} budget`);
  process.exit(1);
}
