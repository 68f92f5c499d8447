// `npm run build`: writes build/ (what `node ./build` runs): the sources, and build/config.json
// with the VITE_* settings read at build time from the environment or ../.env, as Vite does.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'build');

function readDotenv(file) {
  const values = {};
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return values;
  }
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const eq = line.indexOf('=');
    if (!line || line.startsWith('#') || eq < 0) continue;
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && value[0] === value[value.length - 1] && `'"`.includes(value[0])) {
      value = value.slice(1, -1);
    }
    values[line.slice(0, eq).trim()] = value;
  }
  return values;
}

const settings = readDotenv(path.join(root, '..', '.env'));
for (const [k, v] of Object.entries(process.env)) {
  if (k.startsWith('VITE_')) settings[k] = v;
}
const config = {};
for (const [k, v] of Object.entries(settings)) {
  if (k.startsWith('VITE_')) config[k] = v;
}

const staging = fs.mkdtempSync(path.join(root, '.build-'));
for (const name of fs.readdirSync(path.join(root, 'src'))) {
  fs.copyFileSync(path.join(root, 'src', name), path.join(staging, name));
}
fs.writeFileSync(path.join(staging, 'config.json'), JSON.stringify(config, null, 2) + '\n');
fs.rmSync(out, { recursive: true, force: true });
fs.renameSync(staging, out);
console.log(`built ${path.relative(process.cwd(), out) || out} (${Object.keys(config).length} VITE_ settings)`);
