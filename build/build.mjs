// Builds the three files clasp pushes: dist/Code.js (webpack + esbuild-loader +
// gas-webpack-plugin), dist/Sidebar.html (esbuild, inlined, no external URLs) and
// dist/appsscript.json (copied).
import { mkdir, copyFile, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import GasPlugin from 'gas-webpack-plugin';
import webpack from 'webpack';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

function buildServer() {
  const compiler = webpack({
    context: root,
    // 'none' keeps the bundle readable in the Apps Script editor, and with usedExports on,
    // production mode breaks gas-webpack-plugin's globals (toolchain notes).
    mode: 'none',
    entry: './src/index.ts',
    devtool: false,
    output: { path: dist, filename: 'Code.js' },
    resolve: { extensions: ['.ts', '.js'] },
    module: {
      rules: [{ test: /\.ts$/, loader: 'esbuild-loader', options: { target: 'es2019' } }],
    },
    optimization: { usedExports: false, minimize: false },
    plugins: [new GasPlugin({ autoGlobalExportsFiles: ['src/index.ts'] })],
    performance: { hints: false },
  });
  return new Promise((resolve, reject) => {
    compiler.run((err, stats) => {
      compiler.close(() => {});
      if (err) return reject(err);
      if (stats.hasErrors()) return reject(new Error(stats.toString('errors-only')));
      resolve();
    });
  });
}

/** A page of the add-on: one self-contained HTML file (script and styles inlined). */
async function buildPage(entry, out) {
  const result = await esbuild.build({
    entryPoints: [join(root, entry)],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2019',
    minify: true,
    legalComments: 'none',
    outdir: 'out',
    loader: { '.css': 'css' },
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js')).text;
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  const template = await readFile(join(root, 'sidebar/index.html'), 'utf8');
  // Function replacers: a '$' in the bundle must not be read as a replacement pattern.
  const html = template
    .replace('/*STYLES*/', () => css.trim())
    .replace('/*SCRIPT*/', () => js.trim());
  if (/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i.test(html) || /@import\s+url/i.test(html)) {
    throw new Error(`dist/${out} must not load anything from an external URL`);
  }
  await writeFile(join(dist, out), html);
}

/** The sidebar everyone opens, and the security team's import dialog (issue 18) apart. */
async function buildSidebar() {
  await Promise.all([
    buildPage('sidebar/main.ts', 'Sidebar.html'),
    buildPage('sidebar/import-page.ts', 'Import.html'),
  ]);
}

const started = Date.now();
await mkdir(dist, { recursive: true });
await Promise.all([
  buildServer(),
  buildSidebar(),
  copyFile(join(root, 'appsscript.json'), join(dist, 'appsscript.json')),
]);
console.log(
  `built dist/Code.js, dist/Sidebar.html, dist/Import.html, dist/appsscript.json in ${Date.now() - started} ms`,
);
