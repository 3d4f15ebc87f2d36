#!/usr/bin/env bash
# Recompiles src/main/solidity/WaveRegistry.sol into eth/artifacts/ with the pinned solc-js and regenerates
# the Java wrapper (src/main/java/io/wave/ledger/ethereum/internal/WaveRegistry.java) from them with
# web3j's SolidityFunctionWrapperGenerator. Both are committed; EthereumArtifactsIT fails the build when
# they drift from the source. It is also what writes them: WAVE_REGENERATE=1 turns its comparisons into copies.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
node "$here/install.js"
cd "$here/../.."
WAVE_REGENERATE=1 mvn -B -q verify -pl wave-ledger -am -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtest=EthereumArtifactsIT
git -C "$here/.." status --short -- eth/artifacts src/main/java/io/wave/ledger/ethereum/internal/WaveRegistry.java
