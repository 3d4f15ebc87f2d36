/**
 * A one-command local network, the end-to-end story and the side-by-side benchmarks. Arrives with the
 * testnet issue.
 */
package io.wave.testnet;
