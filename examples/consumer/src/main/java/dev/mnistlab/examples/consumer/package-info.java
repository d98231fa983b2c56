/** A minimal program using mnistlab's data module as a Maven dependency, as a user would. */
package dev.mnistlab.examples.consumer;
