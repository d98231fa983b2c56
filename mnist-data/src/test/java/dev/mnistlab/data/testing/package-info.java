/**
 * Test fixtures shared by the modules' tests through mnist-data's test jar: where the real
 * datasets are ({@link dev.mnistlab.data.testing.SharedData}).
 */
package dev.mnistlab.data.testing;
