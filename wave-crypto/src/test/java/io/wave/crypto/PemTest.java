package io.wave.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PemTest {
    private static final byte[] SMALL = {0x30, 0x03, 0x02, 0x01, 0x01};
    private static final byte[] LONG = longDer();

    private static byte[] longDer() {
        byte[] b = new byte[200];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    @Test
    void encode_wrapsBase64At64Characters() {
        String pem = Pem.encode(Pem.ENTITY, LONG);
        List<String> lines = pem.lines().toList();
        assertEquals("-----BEGIN WAVE ENTITY-----", lines.get(0));
        assertEquals("-----END WAVE ENTITY-----", lines.get(lines.size() - 1));
        for (String l : lines.subList(1, lines.size() - 1)) {
            assertTrue(l.length() <= 64, l);
        }
        assertEquals(64, lines.get(1).length());
    }

    @Test
    void decodeAll_readsSeveralBlocksInOrder_skippingCommentsBetween() {
        String text = "Alice's entity, made 2025-01-01\n"
                + Pem.encode(Pem.ENTITY, LONG)
                + "\n  and her grant to the thermostat:\n"
                + Pem.encode(Pem.ATTESTATION, SMALL)
                + "trailing words\n";
        List<Pem.Block> blocks = Pem.decodeAll(text);
        assertEquals(2, blocks.size());
        assertEquals(Pem.ENTITY, blocks.get(0).type());
        assertArrayEquals(LONG, blocks.get(0).der());
        assertEquals(Pem.ATTESTATION, blocks.get(1).type());
        assertArrayEquals(SMALL, blocks.get(1).der());
    }

    @Test
    void decodeAll_acceptsCrlfAndIndentation() {
        String text = Pem.encode(Pem.PROOF, LONG).replace("\n", "\r\n").replace("-----BEGIN", "   -----BEGIN");
        assertArrayEquals(LONG, Pem.decodeAll(text).get(0).der());
    }

    @Test
    void decodeAll_refusesUnpaddedBase64() {
        String pem = Pem.encode("WAVE PROOF", new byte[] {0x30, 0x01, 0x00, 0x05});
        assertTrue(pem.contains("MAEABQ=="), pem);
        WaveException e = assertThrows(WaveException.class, () -> Pem.decodeAll(pem.replace("MAEABQ==", "MAEABQ")));
        assertEquals(ErrorCode.MALFORMED, e.code());
    }

    @Test
    void decodeAll_ofTextWithoutBlocksIsEmpty() {
        assertEquals(List.of(), Pem.decodeAll("just words\n"));
    }

    @Test
    void decodeAll_rejectsUnclosedBlock() {
        String pem = Pem.encode(Pem.ENTITY, LONG);
        assertMalformed(pem.substring(0, pem.indexOf("-----END")));
    }

    @Test
    void decodeAll_rejectsMismatchedEnd() {
        String text = Pem.encode(Pem.ENTITY, SMALL).replace("END WAVE ENTITY", "END WAVE ATTESTATION");
        WaveException e = assertThrows(WaveException.class, () -> Pem.decodeAll(text));
        assertEquals(ErrorCode.MALFORMED, e.code());
        assertTrue(e.getMessage().contains("wrong END line"), e.getMessage());
    }

    @Test
    void decodeAll_rejectsBeginInsideABlock() {
        String pem = Pem.encode(Pem.ENTITY, SMALL);
        String nested = pem.replace("-----END", "-----BEGIN WAVE PROOF-----\n-----END");
        assertMalformed(nested);
    }

    @Test
    void decodeAll_rejectsEndWithoutBegin() {
        assertMalformed("comment\n-----END WAVE ENTITY-----\n");
    }

    @Test
    void decodeAll_rejectsBadBase64() {
        assertMalformed("-----BEGIN WAVE ENTITY-----\nMAMCAQE*\n-----END WAVE ENTITY-----\n");
        assertMalformed("-----BEGIN WAVE ENTITY-----\nMAMC AQE=\n-----END WAVE ENTITY-----\n");
    }

    @Test
    void decodeAll_rejectsEmptyBlock() {
        assertMalformed("-----BEGIN WAVE ENTITY-----\n-----END WAVE ENTITY-----\n");
    }

    @Test
    void decodeAll_rejectsBadBeginLine() {
        assertMalformed("-----BEGIN wave entity-----\nMAMCAQE=\n-----END wave entity-----\n");
        assertMalformed("-----BEGIN WAVE ENTITY\nMAMCAQE=\n-----END WAVE ENTITY-----\n");
        assertMalformed("-----BEGIN -----\nMAMCAQE=\n-----END -----\n");
    }

    @Test
    void decodeAll_boundsBlocksAndText() {
        String one = Pem.encode(Pem.REVOCATION, SMALL);
        String many = one.repeat(Pem.MAX_BLOCKS);
        assertEquals(Pem.MAX_BLOCKS, Pem.decodeAll(many).size());
        assertEquals(ErrorCode.TOO_LARGE,
                assertThrows(WaveException.class, () -> Pem.decodeAll(many + one)).code());
        String huge = "x".repeat(Pem.MAX_TEXT_CHARS + 1);
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(WaveException.class, () -> Pem.decodeAll(huge)).code());
    }

    @Test
    void decodeFile_treatsLeadingSequenceTagAsRawDer() {
        List<Pem.Block> blocks = Pem.decodeFile(SMALL, Pem.ATTESTATION);
        assertEquals(1, blocks.size());
        assertEquals(Pem.ATTESTATION, blocks.get(0).type());
        assertArrayEquals(SMALL, blocks.get(0).der());
    }

    @Test
    void decodeFile_readsPemText() {
        byte[] file = ("# my entity\n" + Pem.encode(Pem.ENTITY, LONG)).getBytes(StandardCharsets.UTF_8);
        List<Pem.Block> blocks = Pem.decodeFile(file, Pem.ATTESTATION);
        assertEquals(Pem.ENTITY, blocks.get(0).type());
        assertArrayEquals(LONG, blocks.get(0).der());
    }

    @Test
    void decodeFile_rejectsAFileWithNoBlock() {
        WaveException e = assertThrows(WaveException.class,
                () -> Pem.decodeFile("hello".getBytes(StandardCharsets.UTF_8), Pem.ENTITY));
        assertEquals(ErrorCode.MALFORMED, e.code());
        assertEquals(ErrorCode.MALFORMED,
                assertThrows(WaveException.class, () -> Pem.decodeFile(new byte[0], Pem.ENTITY)).code());
    }

    @Test
    void encode_refusesATypeItCouldNotReadBack() {
        assertThrows(IllegalArgumentException.class, () -> Pem.encode("wave entity", SMALL));
        assertThrows(IllegalArgumentException.class, () -> Pem.encode("WAVE-ENTITY", SMALL));
    }

    @Test
    void block_keepsItsOwnCopy() {
        byte[] der = SMALL.clone();
        Pem.Block b = new Pem.Block(Pem.ENTITY, der);
        der[0] = 0;
        b.der()[1] = 0;
        assertArrayEquals(SMALL, b.der());
    }

    private static void assertMalformed(String text) {
        WaveException e = assertThrows(WaveException.class, () -> Pem.decodeAll(text));
        assertEquals(ErrorCode.MALFORMED, e.code(), e.getMessage());
    }
}
