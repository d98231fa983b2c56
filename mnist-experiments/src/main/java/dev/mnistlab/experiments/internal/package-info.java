/**
 * Implementation details of mnist-experiments (numerics for the Bayesian optimiser, JSON schema
 * plumbing). Not part of the public API: may change without notice.
 */
package dev.mnistlab.experiments.internal;
