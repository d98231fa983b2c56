package dev.mnistlab.spark.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidClassException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's end of the control channel: a TCP port on the driver's host where each trial's
 * task attempt connects once and then, request by reply, says hello, that its run started and that
 * each epoch finished; the sweep answers whether to go on. A connection that does not present the
 * sweep's random token is dropped. Connections are served on daemon threads.
 */
public final class ControlChannel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlChannel.class);

  /** What answers the requests of one trial. */
  public interface Handler {
    /** A task attempt of the trial begins. */
    ChannelMessage.Welcome hello(ChannelMessage.Hello hello);

    /** The attempt's run started. */
    ChannelMessage.Reply started(ChannelMessage.Started started);

    /** An epoch of the attempt finished. */
    ChannelMessage.Reply epoch(ChannelMessage.Epoch epoch);
  }

  private final ServerSocket server;
  private final String token;
  private final Map<Integer, Handler> trials = new ConcurrentHashMap<>();
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger rejected = new AtomicInteger();
  private volatile boolean closed;

  private ControlChannel(ServerSocket server, String token) {
    this.server = server;
    this.token = token;
  }

  /** Listens on an ephemeral port of {@code host} (the address executors reach the driver at). */
  public static ControlChannel open(String host) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 64);
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    ControlChannel channel = new ControlChannel(server, HexFormat.of().formatHex(secret));
    Thread accept = new Thread(channel::acceptLoop, "mnistlab-spark-channel");
    accept.setDaemon(true);
    accept.start();
    return channel;
  }

  /** Where tasks connect. */
  public String host() {
    return server.getInetAddress().getHostAddress();
  }

  /** The port tasks connect to. */
  public int port() {
    return server.getLocalPort();
  }

  /** The token tasks present (travels inside the task, never in Spark's configuration). */
  public String token() {
    return token;
  }

  /** Connections dropped for a wrong token or a malformed request (for tests). */
  int rejected() {
    return rejected.get();
  }

  /** Routes the requests of trial {@code index} to {@code handler} until {@link #remove}. */
  public void register(int index, Handler handler) {
    trials.put(index, handler);
  }

  /** Stops routing requests of trial {@code index}. */
  public void remove(int index) {
    trials.remove(index);
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        connections.add(s);
        Thread t = new Thread(() -> serve(s), "mnistlab-spark-channel-" + s.getPort());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("control channel stopped accepting: {}", e.getMessage());
        }
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (Wire wire = new Wire(s)) {
      s.setSoTimeout(0);
      while (!closed) {
        Object request;
        try {
          request = wire.receive();
        } catch (EOFException | SocketException done) {
          return;
        }
        if (!(request instanceof ChannelMessage m) || !token.equals(m.token())) {
          rejected.incrementAndGet();
          LOG.warn("control channel: dropped a connection from {} without the sweep's token",
              s.getRemoteSocketAddress());
          return;
        }
        Handler h = trials.get(m.trial());
        Object reply;
        if (h == null) {
          // a trial the sweep no longer follows (a late attempt): tell it to stop
          reply = m instanceof ChannelMessage.Hello ? null : new ChannelMessage.Reply(false, true);
        } else if (m instanceof ChannelMessage.Hello hello) {
          reply = h.hello(hello);
        } else if (m instanceof ChannelMessage.Started started) {
          reply = h.started(started);
        } else {
          reply = h.epoch((ChannelMessage.Epoch) m);
        }
        wire.send(reply);
      }
    } catch (InvalidClassException e) {
      rejected.incrementAndGet();
      LOG.warn("control channel: dropped a connection sending {}", e.getMessage());
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        LOG.debug("control channel connection ended: {}", e.toString());
      }
    } finally {
      connections.remove(s);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // nothing to recover
    }
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException ignored) {
        // the task sees its connection end
      }
    }
  }
}
