#!/usr/bin/env node
// Compiles the registry contract with the solc-js pinned in package-lock.json and writes its ABI and
// bytecode: `node compile.js [OUT_DIR]` (default: artifacts/). The committed artifacts/ are what the
// committed Java wrapper was generated from; EthereumArtifactsIT recompiles into a temporary directory
// and fails when they differ. Regenerate everything with ./regenerate.sh.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const CONTRACT = 'WaveRegistry';
// The source key is a bare file name so that the metadata hash in the bytecode does not depend on
// where the repository is checked out.
const SOURCE_KEY = CONTRACT + '.sol';
const SOURCE = path.join(__dirname, '..', 'src', 'main', 'solidity', SOURCE_KEY);
// london: the contract uses nothing newer, and bytecode without PUSH0 or MCOPY deploys on older
// consortium chains (Besu, geth private networks) as well as on ganache's shanghai.
const EVM_VERSION = 'london';

const out = path.resolve(process.argv[2] || path.join(__dirname, 'artifacts'));
const input = {
  language: 'Solidity',
  sources: { [SOURCE_KEY]: { content: fs.readFileSync(SOURCE, 'utf8') } },
  settings: {
    evmVersion: EVM_VERSION,
    optimizer: { enabled: true, runs: 1000 },
    outputSelection: { [SOURCE_KEY]: { [CONTRACT]: ['abi', 'evm.bytecode.object'] } },
  },
};
const result = JSON.parse(solc.compile(JSON.stringify(input)));
let failed = false;
for (const e of result.errors || []) {
  process.stderr.write(e.formattedMessage || e.message);
  failed = failed || e.severity === 'error';
}
if (failed) {
  process.exit(1);
}
const contract = result.contracts[SOURCE_KEY][CONTRACT];
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, CONTRACT + '.abi'), JSON.stringify(contract.abi, null, 2) + '\n');
fs.writeFileSync(path.join(out, CONTRACT + '.bin'), contract.evm.bytecode.object);
process.stdout.write('solc ' + solc.version() + ' (evm ' + EVM_VERSION + '): ' + path.join(out, CONTRACT) + '.{abi,bin}\n');
