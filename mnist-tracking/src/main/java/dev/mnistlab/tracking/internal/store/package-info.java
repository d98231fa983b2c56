/**
 * The embedded run store: schema and versioned migrations for SQLite and PostgreSQL, the single
 * writer thread that batches writes into transactions, and the queries behind
 * {@link dev.mnistlab.tracking.LocalStore}.
 */
package dev.mnistlab.tracking.internal.store;
