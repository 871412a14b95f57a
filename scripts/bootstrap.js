// Plain Node, no dependencies: runs before node_modules exists, so `npm start` and `npm test`
// work straight after cloning. Installs the locked dependencies when they are missing or stale.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');

const stale = !fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs;
if (stale) {
  console.log('Installing dependencies (npm ci, about a minute)…');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('\nnpm ci failed: check that the npm registry is reachable, then run "npm ci" yourself.\n');
    process.exit(r.status ?? 1);
  }
}
