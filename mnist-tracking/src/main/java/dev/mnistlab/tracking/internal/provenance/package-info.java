/** Automatic capture of a run's provenance: git, machine, ND4J backend and library versions. */
package dev.mnistlab.tracking.internal.provenance;
