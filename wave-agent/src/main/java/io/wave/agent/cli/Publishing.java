package io.wave.agent.cli;

import io.wave.crypto.WaveException;
import io.wave.crypto.objects.Entity;
import io.wave.ledger.Ledger;
import io.wave.ledger.ObjectKind;
import io.wave.ledger.Receipt;
import java.nio.file.Path;
import java.util.List;

/** Publishing what a verb just wrote, one way for every verb. */
final class Publishing {
    private Publishing() {}

    static Ledger.Publication entity(Entity e) {
        return new Ledger.Publication(ObjectKind.ENTITY, e.encoded());
    }

    /**
     * Publishes {@code objects} in one durable write. When that fails, the file the verb wrote stays, and
     * the error says how to publish it later.
     */
    static List<Receipt> publish(LedgerOptions options, CliContext ctx, Path written, List<Ledger.Publication> objects) {
        try (Ledger ledger = options.open(ctx)) {
            return ledger.publishAll(objects);
        } catch (WaveException e) {
            throw new WaveException(e.code(), e.getMessage() + " (" + written + " was written but not published; "
                    + "publish it with: wave publish " + written + ")");
        }
    }
}
