// Runs before `npm run deploy`: checks that .clasp.json names a real Apps Script project and
// pushes from dist/, and says in one sentence what to do when it does not (docs/deploy.md).
// .clasp.json is per person and git-ignored; .clasp.json.example shows its shape.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, '.clasp.json');
const create = 'npx clasp create --type standalone --title "Governed Path" --rootDir dist';

function fail(sentence) {
  console.error(`npm run deploy: ${sentence} See docs/deploy.md.`);
  process.exit(1);
}

let text;
try {
  text = readFileSync(file, 'utf8');
} catch {
  fail(
    `there is no .clasp.json yet. Create the Apps Script project with \`${create}\` ` +
      '(it writes .clasp.json), or copy .clasp.json.example to .clasp.json and put your script ID in it.',
  );
}

let config;
try {
  config = JSON.parse(text);
} catch {
  fail('.clasp.json is not valid JSON. Compare it with .clasp.json.example.');
}

const scriptId = typeof config?.scriptId === 'string' ? config.scriptId.trim() : '';
if (!scriptId || /YOUR_SCRIPT_ID/i.test(scriptId) || !/^[A-Za-z0-9_-]{20,}$/.test(scriptId)) {
  fail(
    '.clasp.json has no real "scriptId". Put the Script ID from the Apps Script editor ' +
      '(Project Settings › IDs) in it.',
  );
}

// clasp reads srcDir first, then rootDir, and defaults to the folder of .clasp.json.
const contentDir = resolve(root, config.srcDir || config.rootDir || '.');
if (contentDir !== resolve(root, 'dist')) {
  fail(
    '.clasp.json must say "rootDir": "dist" (clasp pushes only the built files). If `clasp create` ' +
      'ran without --rootDir dist, it also replaced appsscript.json and added Code.js in the project ' +
      'folder: run `git checkout -- appsscript.json`, delete ./Code.js, then set "rootDir": "dist".',
  );
}
