// Builds the front end into dist/ (embedded in ScoreFeed.Web by its .csproj):
//   app.js     the fan pages (scoreboard, match page, embed page)
//   widget.js  the embeddable widget, its CSS inlined
//   site.css   the pages' stylesheet
//   operator.js, operator.css   the operator console (/operator), apart so that no fan page loads it
//   sw.js      the service worker of goal alerts, served at /sw.js (a stable URL: never hashed)
//   partner-demo.js  the demo partner page's theme editor
//   widget-i18n-{lang}.js  the widget's words in one language but English, served at /widget-i18n/{lang}.js
// and checks the widget's own code, with the largest language file it may load, stays within its budget (20 KB
// gzipped, the SignalR client counted apart).
//   node build.mjs           build
//   node build.mjs --tests   bundle test/*.test.ts into .test-build/ for node's test runner
import { build } from 'esbuild';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
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
// The widget's other languages, one small script each, loaded on demand (widget/words.ts) from /widget-i18n/{lang}.js.
for (const language of ['es', 'de', 'fr', 'ar']) {
  const catalog = JSON.parse(await readFile(`src/i18n/${language}.json`, 'utf8'));
  await writeFile(`dist/widget-i18n-${language}.js`,
    `(self.__scorefeedCatalog||function(){})(${JSON.stringify(language)},${JSON.stringify(catalog)});\n`);
}

// The size budget: the widget without the SignalR client, with the largest of the language files a page may load
// beside it; and the SignalR client alone (what the widget uses of it).
const own = await build({ ...widget, write: false, external: ['@microsoft/signalr'] });
const signalr = await build({ ...common, stdin: { contents: "export { HubConnectionBuilder, HttpTransportType, LogLevel } from '@microsoft/signalr';", resolveDir: '.' }, format: 'iife', write: false });
const gz = (contents) => gzipSync(contents, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const ownSize = gz(own.outputFiles[0].contents);
const words = Math.max(...await Promise.all(['es', 'de', 'fr', 'ar'].map(async (l) => gz(await readFile(`dist/widget-i18n-${l}.js`)))));
console.log(`widget.js: own code ${kb(ownSize)} + its largest language ${kb(words)} gzipped (budget ${kb(budget)}), SignalR client ${kb(gz(signalr.outputFiles[0].contents))} gzipped`);
if (ownSize + words > budget) {
  console.error(`widget.js: own code with a language is ${kb(ownSize + words)} gzipped, over its ${kb(budget)} budget`);
  process.exit(1);
}
