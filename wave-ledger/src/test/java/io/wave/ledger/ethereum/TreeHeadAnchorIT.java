package io.wave.ledger.ethereum;

import static io.wave.ledger.testing.LedgerFixtures.CLOCK;
import static io.wave.ledger.testing.LedgerFixtures.attestation;
import static io.wave.ledger.testing.LedgerFixtures.entity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.ErrorCode;
import io.wave.crypto.SigningKey;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Attestation;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.testing.DeterministicRandom;
import io.wave.crypto.testing.TestEntities;
import io.wave.ledger.SignedTreeHead;
import io.wave.ledger.embedded.EmbeddedLedger;
import io.wave.ledger.ethereum.internal.Chain;
import io.wave.ledger.ethereum.internal.Registry;
import io.wave.policy.testing.GrantBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * Anchored mode: an embedded log's signed tree heads go on chain, and the log is audited against them. A
 * log that forks or rolls back what it anchored is caught; heads that anyone else writes under its key
 * without its signature are ignored.
 */
@ExtendWith(Ganache.Shared.class)
class TreeHeadAnchorIT {
    private static final EntitySecret NS = TestEntities.create("anchor/namespace");
    private static final EntitySecret ALICE = TestEntities.create("anchor/alice");
    private static final EntitySecret BOB = TestEntities.create("anchor/bob");
    private static final Credentials PAYER = Ganache.account(1);

    private static Ganache node;
    private EthereumConfig config;

    @TempDir
    Path dir;

    @BeforeAll
    static void node(Ganache shared) {
        node = shared;
    }

    @BeforeEach
    void deploy() {
        config = EthereumConfig.of(node.url()).withContract(EthereumRegistry.deploy(node.url(), PAYER))
                .withKey(KeySource.of(PAYER)).withPollInterval(Duration.ofMillis(20));
    }

    @Test
    void anchoredHeads_ofAnHonestLog_passTheAudit() {
        try (EmbeddedLedger log = EmbeddedLedger.open(dir.resolve("log"), CLOCK);
                TreeHeadAnchor anchor = TreeHeadAnchor.open(config)) {
            log.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity())));
            AnchoredHead first = anchor.anchor(log);
            log.publishAll(List.of(entity(BOB.entity()), attestation(grant("anchor/ns-alice", ALICE))));
            AnchoredHead second = anchor.anchor(log);
            log.publishAll(List.of(attestation(grant("anchor/ns-bob", BOB))));

            assertEquals(List.of(first, second), anchor.anchoredHeads(log.treeHeadKey()));
            assertEquals(2, first.head().size());
            assertEquals(4, second.head().size());
            TreeHeadAnchor.Audit audit = anchor.audit(log);
            assertEquals(5, audit.current().size());
            assertEquals(second, audit.latest().orElseThrow());
        }
    }

    @Test
    void aForkedLog_thatSignedTwoHistories_isTampered() throws IOException {
        Path original = dir.resolve("original");
        try (EmbeddedLedger log = EmbeddedLedger.open(original, CLOCK)) {
            log.publishAll(List.of(entity(NS.entity()), entity(ALICE.entity()), entity(BOB.entity())));
        }
        // The operator copies the log, key and all, and from here tells two stories.
        Path fork = dir.resolve("fork");
        copy(original, fork);
        try (EmbeddedLedger honest = EmbeddedLedger.open(original, CLOCK);
                EmbeddedLedger forked = EmbeddedLedger.open(fork, CLOCK);
                TreeHeadAnchor anchor = TreeHeadAnchor.open(config)) {
            anchor.anchor(honest);
            honest.publishAll(List.of(attestation(grant("anchor/ns-alice", ALICE))));
            forked.publishAll(List.of(attestation(grant("anchor/ns-bob", BOB))));
            assertEquals(honest.treeHeadKey(), forked.treeHeadKey());
            assertNotEquals(honest.head().rootHex(), forked.head().rootHex());
            anchor.anchor(honest);

            assertEquals(2, anchor.audit(honest).anchored().size());
            WaveException e = assertThrows(WaveException.class, () -> anchor.audit(forked));
            assertEquals(ErrorCode.TAMPERED, e.code());
            assertTrue(e.getMessage().contains("forked"), e.getMessage());

            // Once the fork's head is anchored too, the honest copy cannot pass either: the key signed both.
            anchor.anchor(forked);
            assertEquals(ErrorCode.TAMPERED, assertThrows(WaveException.class, () -> anchor.audit(honest)).code());
        }
    }

    @Test
    void aLogRolledBackBelowAnAnchoredHead_isTampered() throws IOException {
        Path live = dir.resolve("live");
        try (EmbeddedLedger log = EmbeddedLedger.open(live, CLOCK)) {
            log.publishAll(List.of(entity(NS.entity())));
        }
        Path backup = dir.resolve("backup");
        copy(live, backup);
        try (EmbeddedLedger log = EmbeddedLedger.open(live, CLOCK); TreeHeadAnchor anchor = TreeHeadAnchor.open(config)) {
            log.publishAll(List.of(entity(ALICE.entity()), entity(BOB.entity())));
            anchor.anchor(log);
        }
        try (EmbeddedLedger restored = EmbeddedLedger.open(backup, CLOCK);
                TreeHeadAnchor anchor = TreeHeadAnchor.open(config)) {
            WaveException e = assertThrows(WaveException.class, () -> anchor.audit(restored));
            assertEquals(ErrorCode.TAMPERED, e.code());
            assertTrue(e.getMessage().contains("rolled back"), e.getMessage());
        }
    }

    @Test
    void headsAnchoredUnderTheLogsKeyWithoutItsSignature_areSkippedAndCounted() {
        try (EmbeddedLedger log = EmbeddedLedger.open(dir.resolve("log"), CLOCK);
                TreeHeadAnchor anchor = TreeHeadAnchor.open(config)) {
            log.publishAll(List.of(entity(NS.entity())));
            AnchoredHead real = anchor.anchor(log);
            SignedTreeHead h = log.head();
            // Someone else's key signs a head of 1,000 entries and files it under the log's key.
            SigningKey impostor = SigningKey.generate(new DeterministicRandom("anchor/impostor"));
            SignedTreeHead fake = SignedTreeHead.sign(1_000, h.timestamp(), h.root(), impostor);
            anchorStraight(log.treeHeadKey().encoded(), fake);
            anchorStraight(new byte[32], h);

            assertEquals(List.of(real), anchor.anchoredHeads(log.treeHeadKey()));
            assertEquals(1, anchor.skippedHeads());
            assertEquals(1, anchor.audit(log).anchored().size());

            // And through the API, a head is checked against the key before anyone pays for it.
            WaveException e = assertThrows(WaveException.class, () -> anchor.anchor(fake, log.treeHeadKey()));
            assertEquals(ErrorCode.TAMPERED, e.code());
        }
    }

    private void anchorStraight(byte[] logKey, SignedTreeHead h) {
        try (Chain chain = Chain.connect(URI.create(node.url()), Duration.ofSeconds(30), Duration.ofMillis(20))) {
            Registry registry = Registry.at(chain, config.contract());
            String tx = chain.send(PAYER, chain.chainId(), chain.pendingNonce(PAYER.getAddress()), config.contract(),
                    registry.anchorCall(logKey, h.size(), h.timestamp(), h.root(), h.signature()));
            chain.receipt(tx);
        }
    }

    private static Attestation grant(String label, EntitySecret subject) {
        return GrantBuilder.grant(label, NS, subject.id()).sign();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
