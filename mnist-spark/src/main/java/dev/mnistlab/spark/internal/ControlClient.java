package dev.mnistlab.spark.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A task attempt's end of the {@link ControlChannel}: one connection for the attempt's life,
 * one request at a time, each waiting for the driver's reply (at most {@link #REPLY_TIMEOUT}).
 */
final class ControlClient implements AutoCloseable {
  /** How long a request waits for the driver (an epoch reply may wait for the sweep's lock). */
  static final Duration REPLY_TIMEOUT = Duration.ofMinutes(2);

  private final Wire wire;

  private ControlClient(Wire wire) {
    this.wire = wire;
  }

  static ControlClient connect(String host, int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(host, port), 30_000);
    s.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
    s.setTcpNoDelay(true);
    return new ControlClient(new Wire(s));
  }

  /** Sends a request and returns the driver's reply (null: the sweep no longer follows it). */
  synchronized Object ask(ChannelMessage request) throws IOException {
    wire.send(request);
    return wire.receive();
  }

  @Override
  public void close() {
    wire.close();
  }
}
