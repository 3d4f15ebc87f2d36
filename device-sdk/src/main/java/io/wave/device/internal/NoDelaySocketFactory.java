package io.wave.device.internal;

/**
 * Plain TCP sockets with TCP_NODELAY set: commands and replies are small and each waits for the other,
 * so Nagle's algorithm meeting delayed acknowledgements would add tens of milliseconds to a round trip.
 */
final class NoDelaySocketFactory extends javax.net.SocketFactory {
    static final NoDelaySocketFactory INSTANCE = new NoDelaySocketFactory();

    private static java.net.Socket noDelay(java.net.Socket s) throws java.io.IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public java.net.Socket createSocket() throws java.io.IOException {
        return noDelay(new java.net.Socket());
    }

    @Override
    public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
        return noDelay(new java.net.Socket(host, port));
    }

    @Override
    public java.net.Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort)
            throws java.io.IOException {
        return noDelay(new java.net.Socket(host, port, localHost, localPort));
    }

    @Override
    public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
        return noDelay(new java.net.Socket(host, port));
    }

    @Override
    public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress,
            int localPort) throws java.io.IOException {
        return noDelay(new java.net.Socket(address, port, localAddress, localPort));
    }
}
