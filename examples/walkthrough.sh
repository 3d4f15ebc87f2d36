#!/usr/bin/env bash
# The 60-second walkthrough from the README, as a script that checks every expectation.
# A namespace owner grants a facilities manager the building; the manager delegates a narrower,
# time-limited, caveated slice to a contractor; everything is published on the embedded ledger; the
# contractor proves it, a verifier checks it, a thermostat serves the contractor's signed MQTT commands
# inside the slice only, and the manager's revocation cuts the contractor off, on the live device too.
# Exits 0 only when every step behaved as the README says. Usage: walkthrough.sh [WORKDIR]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
wave="$root/wave"
work="${1:-$(mktemp -d)}"
mkdir -p "$work/grants"
cd "$work"
# A ledger of its own, so the walkthrough never touches ~/.wave.
export WAVE_HOME="$work/home"
failures=0

step() { printf '\n== %s\n' "$*"; }
expect() { # expect CODE command...
  local want=$1; shift
  "$@"; local got=$?
  if [[ $got -ne $want ]]; then echo "!! expected exit $want, got $got: $*"; failures=$((failures + 1)); fi
}

step "Three entities: a namespace (the building's owner), a manager, a contractor"
"$wave" --version >/dev/null 2>&1 || { echo "cannot build or start ./wave"; exit 1; }
NS=$("$wave" entity create --out ns.ent --public-out grants/ns.pub --no-passphrase) || exit 1
printf 'correct horse battery staple\n' > manager.pass
MGR=$("$wave" entity create --out manager.ent --public-out grants/manager.pub --passphrase-file manager.pass) || exit 1
CON=$("$wave" entity create --out contractor.ent --public-out grants/contractor.pub --no-passphrase) || exit 1
echo "namespace  $NS"; echo "manager    $MGR"; echo "contractor $CON"

step "The owner grants the manager read and actuate on building1/*, re-delegable one hop"
expect 0 "$wave" grant --attester ns.ent --subject grants/manager.pub --indirections 1 --expiry 30d \
  --out grants/owner-to-manager.pem "device:read,actuate@$NS/building1/*"

step "The manager grants the contractor setpoints on floor 2 only, for 12 hours, between 18 and 26"
expect 0 "$wave" grant --attester manager.ent --passphrase-file manager.pass --subject "$CON" --expiry 12h \
  --caveat "setpoint in [18,26]" --out grants/manager-to-contractor.pem \
  "device:actuate@$NS/building1/floor2/+/setpoint"

step "The contractor builds a proof from the grants on the ledger"
expect 0 "$wave" prove --subject "$CON" --out contractor.proof "device:actuate@$NS/building1/floor2/hvac/setpoint"

step "A verifier that has seen nothing else checks it for a use: valid inside the slice"
expect 0 "$wave" verify contractor.proof --subject "$CON" --param setpoint=21.5 \
  "device:actuate@$NS/building1/floor2/hvac/setpoint"

step "...without the use's setpoint the caveat cannot be checked: refused, unless asked for a conditional answer"
expect 1 "$wave" verify contractor.proof "device:actuate@$NS/building1/floor2/hvac/setpoint"
expect 0 "$wave" verify contractor.proof --conditional "device:actuate@$NS/building1/floor2/hvac/setpoint"

step "...refused outside it (exit 1, reason on stderr)"
expect 1 "$wave" verify contractor.proof "device:actuate@$NS/building1/floor3/hvac/setpoint"
expect 1 "$wave" verify contractor.proof "device:read@$NS/building1/floor2/hvac/setpoint"
expect 1 "$wave" verify contractor.proof --at "$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)" \
  "device:actuate@$NS/building1/floor2/hvac/setpoint"

step "The contractor cannot re-delegate: no indirections were granted"
HELPER=$("$wave" entity create --out helper.ent --public-out grants/helper.pub --no-passphrase)
expect 0 "$wave" grant --attester contractor.ent --subject "$HELPER" \
  --out grants/contractor-to-helper.pem "device:actuate@$NS/building1/floor2/hvac/setpoint"
expect 1 "$wave" prove --subject "$HELPER" --out helper.proof "device:actuate@$NS/building1/floor2/hvac/setpoint"

step "The same proof, checked from files alone (no ledger), on a machine that has seen nothing else"
expect 0 "$wave" verify --offline --param setpoint=21.5 contractor.proof "device:actuate@$NS/building1/floor2/hvac/setpoint"

step "A damaged proof file is refused as unreadable (exit 2), never trusted"
head -c 400 contractor.proof > damaged.proof
expect 2 "$wave" verify damaged.proof "device:actuate@$NS/building1/floor2/hvac/setpoint"

step "What the proof carries"
expect 0 "$wave" inspect contractor.proof

step "A thermostat serves the setpoint over MQTT; the ledger is served so the device and the CLI share it"
# The embedded ledger belongs to one process at a time: a ledger server lets the device follow it for
# revocations while the CLI keeps publishing to it.
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null' EXIT
THERMO=$("$wave" entity create --out thermostat.ent --no-passphrase) || exit 1
# The owner says which entity is the thermostat: without --device, wave send accepts a reply only from
# an entity granted device:serve on the resource (anyone on the broker can sign an "OK").
expect 0 "$wave" grant --attester ns.ent --subject "$THERMO" --expiry 30d --out grants/thermostat-serve.pem \
  "device:serve@$NS/building1/floor2/hvac/setpoint"
"$wave" ledger serve --data "$WAVE_HOME/ledger" --http 127.0.0.1:0 > ledger-server.out 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q '^http://' ledger-server.out 2>/dev/null && break; sleep 0.1; done
export WAVE_LEDGER=$(head -1 ledger-server.out)
[[ $WAVE_LEDGER == http://* ]] || { echo "!! the ledger server did not start:"; cat ledger-server.out; exit 1; }
echo "ledger server $WAVE_LEDGER"
# No --broker: the device starts an embedded MQTT broker and prints its URI.
# --new-device: the thermostat was made just now and has run nothing, so it takes commands at once.
"$wave" device simulate --as thermostat.ent --new-device --namespace "$NS" --resource building1/floor2/hvac/setpoint > device.out 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do grep -q '^serving:' device.out 2>/dev/null && break; sleep 0.1; done
cat device.out
BROKER=$(grep -m1 '^broker:' device.out | awk '{print $2}')
[[ $BROKER == tcp://* ]] || { echo "!! the device did not start"; exit 1; }
SETPOINT="$NS/building1/floor2/hvac/setpoint"

step "The contractor's signed commands run inside the slice, and are refused outside it (exit 1)"
expect 0 "$wave" send --as contractor.ent --proof contractor.proof --broker "$BROKER" "$SETPOINT" set '{"setpoint": 21.5}'
expect 1 "$wave" send --as contractor.ent --proof contractor.proof --broker "$BROKER" "$SETPOINT" set '{"setpoint": 30}'
expect 1 "$wave" send --as contractor.ent --proof contractor.proof --broker "$BROKER" "$SETPOINT" read

step "The manager revokes the contractor's grant: every verifier reading the ledger refuses the proof"
GRANT2=$(grep -m1 '^# WAVE attestation' grants/manager-to-contractor.pem | awk '{print $4}')
expect 0 "$wave" revoke --attestation "$GRANT2" --as manager.ent --passphrase-file manager.pass
expect 1 "$wave" verify contractor.proof "device:actuate@$NS/building1/floor2/hvac/setpoint"

step "...and the running thermostat refuses the contractor's next command, without reconnecting"
"$wave" send --as contractor.ent --proof contractor.proof --broker "$BROKER" "$SETPOINT" set '{"setpoint": 22}' \
  > revoked.out 2>&1
got=$?; cat revoked.out
if [[ $got -ne 1 ]] || ! grep -q '^REVOKED: ' revoked.out; then
  echo "!! expected the device to refuse with REVOKED (exit 1), got exit $got"; failures=$((failures + 1))
fi
echo "what the device saw:"; tail -n +4 device.out
for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; pids=()
unset WAVE_LEDGER

step "The ledger's log re-checks: every entry hashes to the signed tree head"
expect 0 "$wave" ledger status
expect 0 "$wave" ledger audit

echo
if [[ $failures -eq 0 ]]; then echo "walkthrough: every expectation held"; else echo "walkthrough: $failures expectation(s) failed"; fi
[[ $failures -eq 0 ]]
