/**
 * Implementation of mnistlab tracking: the run engine behind {@link dev.mnistlab.tracking.Run} and
 * shared helpers. Not public API: it may change in any release.
 */
package dev.mnistlab.tracking.internal;
