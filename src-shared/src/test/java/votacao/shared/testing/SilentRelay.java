package votacao.shared.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay to a real broker that leaves its first connections unanswered, as a broker does while it is
 * busy (closing tens of thousands of channels after a large run): the TCP connection is accepted, the AMQP
 * handshake never answered. Later connections are relayed to the broker byte for byte.
 */
public final class SilentRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final String host;
    private final int port;
    private final int silent;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** @param silent how many connections get no answer before the relaying starts; -1: none ever does */
    public SilentRelay(String host, int port, int silent) throws IOException {
        this.host = host;
        this.port = port;
        this.silent = silent;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "silent-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** How many connections it has accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                int index = accepted.incrementAndGet();
                if (silent >= 0 && index > silent) {
                    Socket broker = new Socket(host, port);
                    sockets.add(broker);
                    pipe(client.getInputStream(), broker.getOutputStream());
                    pipe(broker.getInputStream(), client.getOutputStream());
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void pipe(InputStream from, OutputStream to) {
        Thread copier = new Thread(() -> {
            try (from; to) {
                from.transferTo(to);
            } catch (IOException closed) {
                // one side went: the other is closed with it
            }
        }, "silent-relay-pipe");
        copier.setDaemon(true);
        copier.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
