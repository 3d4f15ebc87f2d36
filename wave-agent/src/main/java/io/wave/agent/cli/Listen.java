package io.wave.agent.cli;

import io.wave.crypto.WaveException;

/** A {@code --http HOST:PORT} listen address, as servers started from the CLI take it. */
record Listen(String host, int port) {
    static Listen parse(String http) {
        int colon = http.lastIndexOf(':');
        if (colon <= 0) {
            throw WaveException.badArgument("--http '" + http + "' is not HOST:PORT");
        }
        String host = http.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new Listen(host, Integer.parseInt(http.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw WaveException.badArgument("--http '" + http + "': the port is not a number");
        }
    }
}
