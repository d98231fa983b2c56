/**
 * Small file utilities shared by the mnistlab modules. Public (rather than {@code internal})
 * because more than one module needs them: {@code mnist-data} writes its IDX files, downloads and
 * pictures with them, {@code mnist-experiments} its results, reports and sweep files. Kept to what
 * those callers need.
 */
package dev.mnistlab.data.io;
