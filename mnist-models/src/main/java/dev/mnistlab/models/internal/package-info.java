/**
 * Implementation details of {@code dev.mnistlab.models}: oneDNN helper wiring, layer summaries,
 * architecture drawing, image preprocessing and augmentation. Not public API; may change without
 * notice.
 */
package dev.mnistlab.models.internal;
