package dev.mnistlab.models.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Builds the per-layer rows and the text table of a model summary. */
public final class ModelSummaries {

  private ModelSummaries() {}

  /** One row per layer of an initialised network, with output shapes for {@code input}. */
  public static List<LayerRow> rows(MultiLayerNetwork network, InputType input) {
    MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
    List<InputType> outputs = conf.getLayerActivationTypes(input);
    List<String> helpers = OneDnnHelpers.describe(network);
    List<LayerRow> rows = new ArrayList<>();
    for (int i = 0; i < network.getnLayers(); i++) {
      Layer layer = conf.getConf(i).getLayer();
      rows.add(
          new LayerRow(
              i,
              describe(layer),
              shape(outputs.get(i)),
              network.getLayer(i).numParams(),
              helpers.get(i)));
    }
    return rows;
  }

  /** A fixed-width text table: layer, output shape, parameters, helper; then the total. */
  public static String table(String title, List<LayerRow> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(title).append('\n');
    String format = "%-3s %-34s %-14s %12s  %s%n";
    sb.append(String.format(Locale.ROOT, format, "#", "layer", "output shape", "parameters", "runs on"));
    long total = 0;
    for (LayerRow row : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              format,
              row.index(),
              row.type(),
              row.outputShape(),
              String.format(Locale.ROOT, "%,d", row.parameters()),
              row.helper()));
      total += row.parameters();
    }
    sb.append(String.format(Locale.ROOT, "input 1x28x28, total parameters: %,d%n", total));
    return sb.toString();
  }

  /** Short human description of a layer configuration. */
  public static String describe(Layer layer) {
    String act = "";
    Object fn = null;
    if (layer instanceof BaseLayer) {
      fn = ((BaseLayer) layer).getActivationFn();
    } else if (layer instanceof ActivationLayer) {
      fn = ((ActivationLayer) layer).getActivationFn();
    }
    if (fn != null) {
      act = " " + fn.toString().toLowerCase(Locale.ROOT);
      if (act.equals(" identity")) {
        act = "";
      }
    }
    String dropout = layer.getIDropout() == null ? "" : " (dropout in)";
    if (layer instanceof ConvolutionLayer) {
      ConvolutionLayer c = (ConvolutionLayer) layer;
      String same = c.getConvolutionMode() != null && c.getConvolutionMode().name().equals("Same") ? " same" : "";
      return "Conv " + c.getKernelSize()[0] + "x" + c.getKernelSize()[1] + "x" + c.getNOut() + same + act;
    }
    if (layer instanceof SubsamplingLayer) {
      SubsamplingLayer s = (SubsamplingLayer) layer;
      return s.getPoolingType().name().charAt(0)
          + s.getPoolingType().name().substring(1).toLowerCase(Locale.ROOT)
          + "Pool "
          + s.getKernelSize()[0]
          + "x"
          + s.getKernelSize()[1];
    }
    if (layer instanceof BatchNormalization) {
      return "BatchNorm";
    }
    if (layer instanceof ActivationLayer) {
      return "Activation" + act;
    }
    if (layer instanceof OutputLayer) {
      return "Output " + ((OutputLayer) layer).getNOut() + act + dropout;
    }
    if (layer instanceof DenseLayer) {
      return "Dense " + ((DenseLayer) layer).getNOut() + act + dropout;
    }
    return layer.getClass().getSimpleName();
  }

  /** Shape without the batch dimension, e.g. {@code 32x26x26} or {@code 128}. */
  public static String shape(InputType type) {
    long[] shape = type.getShape(false);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append('x');
      }
      sb.append(shape[i]);
    }
    return sb.toString();
  }
}
