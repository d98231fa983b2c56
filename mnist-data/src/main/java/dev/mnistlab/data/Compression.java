package dev.mnistlab.data;

/** How an IDX file is stored on disk. Readers detect it from the file's first bytes, never its name. */
public enum Compression {
  /** The plain IDX bytes. */
  NONE,
  /** A gzip stream (RFC 1952) of the IDX bytes, as MNIST-family datasets are published. */
  GZIP
}
