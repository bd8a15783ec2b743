package dev.verist.storage.pg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** TCP ports for the servers the tests start (PgBouncer, a primary and its standby), and whether one answers. */
public final class LocalPorts {

    private LocalPorts() {
    }

    /** {@code count} distinct ports of the loopback interface that were free a moment ago. */
    public static int[] free(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); // held, so all differ
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        } finally {
            for (ServerSocket socket : sockets) {
                close(socket);
            }
        }
    }

    /** Whether something accepts a TCP connection on {@code host:port} within {@code timeoutMillis}. */
    public static boolean answers(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void close(ServerSocket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // the port is released either way
            }
        }
    }
}
