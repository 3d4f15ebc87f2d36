#!/usr/bin/env node
// `npm ci` from the committed lock file, skipped when node_modules was installed from this very lock
// file: the Maven build runs this before the tests, and a fresh `npm ci` (tens of seconds, the whole
// ganache tree) on every build would be waste. The stamp is the lock file's SHA-256, written only after
// `npm ci` succeeds, so an interrupted install is redone.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const lock = path.join(__dirname, 'package-lock.json');
const stamp = path.join(__dirname, 'node_modules', '.wave-lock.sha256');
const want = crypto.createHash('sha256').update(fs.readFileSync(lock)).digest('hex');
const have = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').trim() : '';
if (have === want) {
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
  cwd: __dirname,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (r.error) {
  process.stderr.write('cannot run npm: ' + r.error.message + '\n');
  process.exit(1);
}
if (r.status !== 0) {
  process.exit(r.status === null ? 1 : r.status);
}
fs.writeFileSync(stamp, want + '\n');
