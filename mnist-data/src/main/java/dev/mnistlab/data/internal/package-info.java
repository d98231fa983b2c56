/**
 * Implementation details of {@code dev.mnistlab.data}: gzip decoding, hashing and HTTP downloads
 * (atomic file writes are the shared {@code dev.mnistlab.data.io}). Not public API: anything here
 * may change without notice.
 */
package dev.mnistlab.data.internal;
