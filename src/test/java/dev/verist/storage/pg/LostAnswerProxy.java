package dev.verist.storage.pg;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of PostgreSQL that loses answers the way a network does: with probability {@code p}, when
 * the server reports a statement done outside any transaction (a {@code CommandComplete} of a write, a
 * {@code SELECT} or a {@code COMMIT}, then {@code ReadyForQuery} idle), it closes the connection instead of
 * passing that on. The server has committed; the client sees a broken connection. Clients must connect with
 * {@code sslmode=disable&gssEncMode=disable} so the protocol stays readable.
 */
final class LostAnswerProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final double p;
    private final AtomicInteger lost = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean losing = true;

    LostAnswerProxy(String targetHost, int targetPort, double p) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.p = p;
        Thread acceptor = new Thread(this::accept, "lost-answer-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port clients connect to. */
    int port() {
        return server.getLocalPort();
    }

    /** How many answers of committed work were lost so far. */
    int lost() {
        return lost.get();
    }

    /** Stops losing answers, so that a test can check the outcome over the same path. */
    void stopLosing() {
        losing = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(upstream);
                start(() -> copy(client, upstream));
                start(() -> answers(upstream, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void start(Runnable pump) {
        Thread t = new Thread(pump, "lost-answer-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // a side closed
        } finally {
            closeBoth(from, to);
        }
    }

    // Server messages are a type byte, an int32 length that counts itself, and the payload.
    private void answers(Socket upstream, Socket client) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(upstream.getInputStream()));
             OutputStream out = new BufferedOutputStream(client.getOutputStream())) {
            String lastTag = null;
            while (true) {
                int type = in.readUnsignedByte();
                int length = in.readInt();
                byte[] payload = new byte[length - 4];
                in.readFully(payload);
                if (type == 'C') {
                    lastTag = new String(payload, 0, payload.length - 1, StandardCharsets.US_ASCII);
                } else if (type == 'Z') {
                    if (payload[0] == 'I' && committedWork(lastTag) && losing
                            && ThreadLocalRandom.current().nextDouble() < p) {
                        lost.incrementAndGet();
                        return; // closes both sides
                    }
                    lastTag = null;
                }
                out.write(type);
                out.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
                out.write(payload);
                if (type == 'Z' || in.available() == 0) {
                    out.flush();
                }
            }
        } catch (EOFException e) {
            // the server closed
        } catch (IOException e) {
            // a side closed
        } finally {
            closeBoth(upstream, client);
        }
    }

    private static boolean committedWork(String tag) {
        return tag != null && (tag.startsWith("SELECT") || tag.startsWith("INSERT") || tag.startsWith("UPDATE")
                || tag.equals("COMMIT"));
    }

    private void closeBoth(Socket a, Socket b) {
        for (Socket s : new Socket[] {a, b}) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
            open.remove(s);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
