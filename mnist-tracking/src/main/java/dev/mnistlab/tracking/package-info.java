/**
 * Run tracking for mnistlab and for any Deeplearning4j program: a {@link dev.mnistlab.tracking.Tracker}
 * starts {@link dev.mnistlab.tracking.Run}s that are written first to an embedded
 * {@link dev.mnistlab.tracking.LocalStore} (SQLite or PostgreSQL) and then streamed from that store to
 * Weights &amp; Biases; a {@link dev.mnistlab.tracking.Syncer} uploads whatever W&amp;B has not
 * acknowledged yet.
 */
package dev.mnistlab.tracking;
