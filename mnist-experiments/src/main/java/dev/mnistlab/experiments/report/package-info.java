/**
 * The sweep report: one self-contained HTML page per sweep ({@link
 * dev.mnistlab.experiments.report.SweepReport}) with inline SVG charts, inline PNG pictures and a
 * little inline JavaScript; it needs no network and no files beside it.
 */
package dev.mnistlab.experiments.report;
