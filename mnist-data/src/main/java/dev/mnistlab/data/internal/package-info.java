/**
 * Implementation details of {@code dev.mnistlab.data}: gzip decoding, hashing, atomic file
 * writes and HTTP downloads. Not public API: anything here may change without notice.
 */
package dev.mnistlab.data.internal;
