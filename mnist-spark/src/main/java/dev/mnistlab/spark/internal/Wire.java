package dev.mnistlab.spark.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One end of a control-channel connection: Java-serialized {@link ChannelMessage}s and replies,
 * read through a filter that accepts only the channel's own types and the JDK values they hold, so
 * that a stranger connecting to the driver's port cannot make it deserialize anything else.
 */
final class Wire implements AutoCloseable {
  /** Classes a channel message may contain. */
  static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(
      "maxdepth=20;maxarray=100000000;dev.mnistlab.spark.internal.ChannelMessage$*;"
          + "dev.mnistlab.tracking.RunExport;dev.mnistlab.tracking.internal.store.RunRows;"
          + "dev.mnistlab.tracking.internal.store.RunRows$Table;java.lang.*;java.util.*;"
          + "java.lang.Object;[B;[Ljava.lang.Object;!*");

  private final Socket socket;
  private final ObjectOutputStream out;
  private final ObjectInputStream in;

  Wire(Socket socket) throws IOException {
    this.socket = socket;
    OutputStream os = new BufferedOutputStream(socket.getOutputStream());
    this.out = new ObjectOutputStream(os);
    out.flush();
    InputStream is = new BufferedInputStream(socket.getInputStream());
    this.in = new ObjectInputStream(is);
    in.setObjectInputFilter(FILTER);
  }

  void send(Object message) throws IOException {
    out.writeObject(message);
    out.reset();
    out.flush();
  }

  Object receive() throws IOException {
    try {
      return in.readObject();
    } catch (ClassNotFoundException e) {
      throw new IOException("unexpected object on the control channel: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a connection that is done with
    }
  }
}
