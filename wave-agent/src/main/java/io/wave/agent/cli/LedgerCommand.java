package io.wave.agent.cli;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.ledger.Ledger;
import io.wave.ledger.LedgerEntry;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.VerifiableLedger;
import io.wave.ledger.merkle.Merkle;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ledger", mixinStandardHelpOptions = true, description = "Inspect and audit the ledger.",
        subcommands = {LedgerCommand.Status.class, LedgerCommand.Audit.class})
final class LedgerCommand {

    static VerifiableLedger verifiable(Ledger l) {
        if (!(l instanceof VerifiableLedger v)) {
            throw WaveException.badArgument("this ledger keeps no Merkle log to check");
        }
        return v;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = {
            "Show the ledger's size and signed tree head.",
            "The head is checked against the heads kept from earlier runs (in $WAVE_HOME/heads) and kept."})
    static final class Status extends WaveCommand {
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Mixin
        LedgerOptions ledger;

        @Override
        public Integer call() {
            try (Ledger l = ledger.open(context)) {
                VerifiableLedger v = verifiable(l);
                SignedTreeHead head = v.head().verify(v.treeHeadKey());
                int kept = new KeptHeads(LedgerOptions.home(context), v.treeHeadKey()).checkAndKeep(v, head);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ledger", ledger.uri(context));
                m.put("size", head.size());
                m.put("head", Describe.head(head));
                m.put("key", Describe.hex(v.treeHeadKey().encoded()));
                m.put("keptHeads", kept);
                m.put("anchoredHead", null);
                if (json) {
                    printJson(m);
                } else {
                    out().println("ledger:      " + m.get("ledger"));
                    out().println("size:        " + head.size());
                    out().println("root:        " + head.rootHex());
                    out().println("signed at:   " + java.time.Instant.ofEpochMilli(head.timestamp()));
                    out().println("key:         " + m.get("key"));
                    out().println("kept heads:  " + kept + " (consistent)");
                    out().println("anchored:    none");
                }
            }
            return 0;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = {
            "Re-check the ledger: recompute the Merkle root from every entry, check the signed head,",
            "and prove consistency with every head kept from earlier runs. Exit 3 (TAMPERED) on any mismatch."})
    static final class Audit extends WaveCommand {
        /** Entries read per request while recomputing. */
        private static final int PAGE = 4096;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Mixin
        LedgerOptions ledger;

        @Override
        public Integer call() {
            try (Ledger l = ledger.open(context)) {
                VerifiableLedger v = verifiable(l);
                SignedTreeHead head = v.head().verify(v.treeHeadKey());
                Merkle.RootAccumulator acc = new Merkle.RootAccumulator();
                while (acc.count() < head.size()) {
                    List<LedgerEntry> page = v.entries(acc.count(), (int) Math.min(PAGE, head.size() - acc.count()));
                    if (page.isEmpty()) {
                        throw new WaveException(ErrorCode.TAMPERED, "the ledger claims " + head.size()
                                + " entries but serves only " + acc.count());
                    }
                    for (LedgerEntry e : page) {
                        if (e.index() != acc.count()) {
                            throw new WaveException(ErrorCode.TAMPERED, "entry " + acc.count() + " is missing");
                        }
                        acc.add(Merkle.leafHash(e.leafData()));
                    }
                }
                if (!MessageDigest.isEqual(acc.root(), head.root())) {
                    throw new WaveException(ErrorCode.TAMPERED, "the entries hash to a root other than the signed head's");
                }
                int kept = new KeptHeads(LedgerOptions.home(context), v.treeHeadKey()).checkAndKeep(v, head);
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ok", true);
                    m.put("size", head.size());
                    m.put("root", head.rootHex());
                    m.put("keptHeads", kept);
                    printJson(m);
                } else {
                    out().println("audit: ok: " + head.size() + " entries hash to the signed root " + head.rootHex()
                            + "; consistent with " + kept + " kept head(s)");
                }
            }
            return 0;
        }
    }
}
