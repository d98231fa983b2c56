package dev.mnistlab.tracking.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import javax.net.ServerSocketFactory;

/**
 * Server sockets for the stand-in's storage host on 127.0.0.2, whose connections know their local
 * address by its literal name. MockWebServer asks every request's local address for its host
 * name; 127.0.0.2 has no hosts entry, so each such reverse lookup waits for DNS (seconds, and the
 * JVM caches the failure only briefly): a run's thousand media PUTs then took minutes.
 */
final class StorageServerSockets extends ServerSocketFactory {
  static final StorageServerSockets INSTANCE = new StorageServerSockets();

  private StorageServerSockets() {}

  @Override
  public ServerSocket createServerSocket() throws IOException {
    return new ServerSocket() {
      @Override
      public Socket accept() throws IOException {
        Socket s = new Socket() {
          @Override
          public InetAddress getLocalAddress() {
            InetAddress a = super.getLocalAddress();
            try {
              return InetAddress.getByAddress(a.getHostAddress(), a.getAddress());
            } catch (UnknownHostException e) {
              return a;
            }
          }
        };
        implAccept(s);
        return s;
      }
    };
  }

  @Override
  public ServerSocket createServerSocket(int port) {
    throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) {
    throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
    throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
  }
}
