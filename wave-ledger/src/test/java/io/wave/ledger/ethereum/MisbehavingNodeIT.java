package io.wave.ledger.ethereum;

import static io.wave.ledger.testing.LedgerFixtures.entity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.EntitySecret;
import io.wave.crypto.testing.TestEntities;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Credentials;

/**
 * A node that lies or breaks: a proxy in front of the real node rewrites its answers. Whatever it sends,
 * readers get a typed error or skip what they cannot verify; no web3j, JSON or I/O exception escapes.
 */
@ExtendWith(Ganache.Shared.class)
class MisbehavingNodeIT {
    private static final EntitySecret NS = TestEntities.create("faults/namespace");
    private static final Credentials PAYER = Ganache.account(0);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Ganache node;
    private String contract;
    private HttpServer proxy;
    /** How the proxy rewrites the reply to one JSON-RPC method; null passes it through. */
    private volatile String method;
    private volatile UnaryOperator<String> rewrite;

    @BeforeAll
    static void node(Ganache shared) {
        node = shared;
    }

    @BeforeEach
    void deployAndStartProxy() throws IOException {
        contract = EthereumRegistry.deploy(node.url(), PAYER);
        HttpClient upstream = HttpClient.newHttpClient();
        proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/", exchange -> relay(exchange, upstream));
        proxy.start();
    }

    @AfterEach
    void stopProxy() {
        proxy.stop(0);
    }

    private void relay(HttpExchange exchange, HttpClient upstream) throws IOException {
        try (exchange) {
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            HttpResponse<String> reply = upstream.send(HttpRequest.newBuilder(URI.create(node.url()))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = reply.body();
            int status = reply.statusCode();
            if (rewrite != null && JSON.readTree(request).path("method").asText().equals(method)) {
                body = rewrite.apply(body);
                if (body.startsWith("HTTP ")) {
                    status = Integer.parseInt(body.substring(5, 8));
                    body = body.substring(9);
                }
            }
            byte[] out = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void lie(String rpcMethod, UnaryOperator<String> how) {
        method = rpcMethod;
        rewrite = how;
    }

    private EthereumLedger throughProxy() {
        return EthereumLedger.open(EthereumConfig.of("http://127.0.0.1:" + proxy.getAddress().getPort())
                .withContract(contract).withMaxStaleness(Duration.ZERO).withTimeout(Duration.ofSeconds(10)));
    }

    private void publishDirectly() {
        try (EthereumLedger writer = EthereumLedger.open(EthereumConfig.of(node.url()).withContract(contract)
                .withKey(KeySource.of(PAYER)).withPollInterval(Duration.ofMillis(20)))) {
            writer.publishAll(List.of(entity(NS.entity())));
        }
    }

    @Test
    void garbledEventData_isSkippedAndCounted() {
        publishDirectly();
        lie("eth_getLogs", body -> {
            JsonNode reply = read(body);
            for (JsonNode log : reply.get("result")) {
                ((ObjectNode) log).put("data", "0x00000000000000000000000000000000000000000000000000000000000000ff");
            }
            return reply.toString();
        });
        try (EthereumLedger reader = throughProxy()) {
            EthereumLedger.Status s = reader.refresh();

            assertEquals(0, s.size());
            assertEquals(1, s.skippedEvents());
        }
        lie(null, null);
        try (EthereumLedger reader = throughProxy()) {
            assertEquals(1, reader.size(), "the same chain, told straight");
        }
    }

    @Test
    void logsOutsideTheBlocksAskedFor_areRefusedAsUnavailable() {
        publishDirectly();
        lie("eth_getLogs", body -> {
            JsonNode reply = read(body);
            for (JsonNode log : reply.get("result")) {
                ((ObjectNode) log).put("blockNumber", "0xffffff");
            }
            return reply.toString();
        });
        try (EthereumLedger reader = throughProxy()) {
            WaveException e = assertThrows(WaveException.class, reader::size);
            assertEquals(ErrorCode.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("out of order"), e.getMessage());
            assertEquals(0, reader.status().size(), "nothing of that answer was indexed");
        }
    }

    @Test
    void brokenAnswers_areUnavailable_neverARawException() {
        List<UnaryOperator<String>> breakages = List.of(
                body -> "HTTP 500 upstream exploded",
                body -> "this is not JSON",
                body -> "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0xnot-a-number\"}",
                body -> "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"busy\"}}",
                body -> "{\"jsonrpc\":\"2.0\",\"id\":1}");
        try (EthereumLedger reader = throughProxy()) {
            for (UnaryOperator<String> b : breakages) {
                lie("eth_blockNumber", b);
                WaveException e = assertThrows(WaveException.class, reader::size);
                assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.getMessage());
            }
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
