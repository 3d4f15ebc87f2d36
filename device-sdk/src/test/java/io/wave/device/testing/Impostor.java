package io.wave.device.testing;

import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.objects.Limits;
import io.wave.crypto.objects.Reply;
import io.wave.crypto.objects.ReplyBody;
import io.wave.crypto.objects.UnverifiedCommand;
import io.wave.device.BrokerAddress;
import io.wave.device.Topics;
import io.wave.device.internal.MqttLink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Someone on the broker who answers every command on its topics with a validly signed OK of its own: what a
 * client must not believe unless the signer is entitled to serve the resource.
 */
public final class Impostor implements AutoCloseable {
    private final AtomicInteger answered = new AtomicInteger();
    private final EntitySecret entity;
    private final MqttLink link;

    public Impostor(EntitySecret entity, BrokerAddress broker, List<String> topics) {
        this.entity = entity;
        this.link = MqttLink.connect(broker, "impostor-" + entity.id().toString().substring(0, 8), false,
                Limits.MAX_COMMAND_BYTES + 1024L, Duration.ofSeconds(10), this::answer, topics);
    }

    private void answer(String topic, byte[] payload, String responseTopic, byte[] correlation) {
        UnverifiedCommand c = UnverifiedCommand.decode(payload);
        Reply ok = Reply.sign(new ReplyBody(entity.id(), c.id().hash(), ReplyBody.OK, "done", Map.of(),
                Instant.now()), entity);
        String to = responseTopic != null ? responseTopic
                : Topics.reply(c.claimedBody().namespace(), c.claimedBody().resource());
        link.publish(to, ok.encoded(), null, correlation);
        answered.incrementAndGet();
    }

    /** How many commands it has answered. */
    public int answered() {
        return answered.get();
    }

    @Override
    public void close() {
        link.close();
    }
}
