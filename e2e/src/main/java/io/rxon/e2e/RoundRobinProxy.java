package io.rxon.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 that sends each new connection to the next of its targets in turn, as
 * a Kubernetes Service without session affinity spreads connections over replicas: bytes are
 * pumped both ways, unread. A test can aim the next connection at one target ({@link #aim}); the
 * turn goes on from there. A target that refuses the connection (its process is dead) is passed
 * over for the next one, as a Service stops sending to a pod once its endpoint is gone; the
 * connections that were open to it break, as they would.
 */
public final class RoundRobinProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<Integer> targets;
    private final AtomicInteger next = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public RoundRobinProxy(List<Integer> targetPorts) {
        this.targets = List.copyOf(targetPorts);
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("proxy-accept", this::accept);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The proxy's address for WebSocket clients (push dispatch). */
    public String socketUrl() {
        return "ws://127.0.0.1:" + server.getLocalPort();
    }

    /** The next connection goes to target {@code index}. */
    public void aim(int index) {
        next.set(index);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = connectToNextLiveTarget();
                if (upstream == null) {
                    // every target gone: the client's connection fails as it would against dead replicas
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private Socket connectToNextLiveTarget() {
        for (int tried = 0; tried < targets.size(); tried++) {
            int index = Math.floorMod(next.getAndIncrement(), targets.size());
            try {
                return new Socket(InetAddress.getLoopbackAddress(), targets.get(index));
            } catch (IOException refused) {
                // this replica is down: the next one
            }
        }
        return null;
    }

    private void pump(Socket from, Socket to) {
        daemon("proxy-pump", () -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close both below
            }
            closeQuietly(from);
            closeQuietly(to);
        });
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        open.forEach(RoundRobinProxy::closeQuietly);
    }
}
