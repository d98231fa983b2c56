package dev.mnistlab.models.internal;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNLocalResponseNormalizationHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.LocalResponseNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Puts DL4J's own oneDNN ("MKLDNN") layer helpers on convolution, NHWC subsampling, batch-norm and
 * LRN layers of an initialised network, and replaces NCHW subsampling layers by {@link
 * LibNd4jPoolingLayer}.
 *
 * <p>Why this exists: in DL4J 1.0.0-M2.1 the helpers are never created on their own. {@code
 * HelperUtils.createHelper} is off unless the system property {@code
 * org.eclipse.deeplearning4j.helpers.disable=false}, and even then every helper's {@code
 * checkSupported()} calls {@code BaseMKLDNNHelper.mklDnnEnabled()}, which looks up {@code
 * org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN} by reflection; M2.1's ND4J renamed that to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment#isUseONEDNN}, so the check
 * always fails and the layers fall back to DL4J's slower built-in im2col path. The layers only test
 * {@code helper != null} when they run, so installing the stock helper classes on the layer's
 * {@code helper} field after construction engages them; the check that DL4J could not do is done
 * here by {@link OneDnnSupport} with the current class name.
 *
 * <p>The field names are those of M2.1 ({@code ConvolutionLayer.helper}, {@code
 * SubsamplingLayer.helper}, {@code BatchNormalization.helper}, {@code LocalResponseNormalization.helper});
 * the test suite asserts they are engaged, so an upgrade that renames them fails loudly instead of
 * silently becoming slow.
 */
public final class OneDnnHelpers {

  private OneDnnHelpers() {}

  /**
   * Installs oneDNN helpers on every supported layer that has none yet.
   *
   * @return for each layer of the network, in order, the helper it now uses
   */
  public static List<String> engage(MultiLayerNetwork network) {
    if (!OneDnnSupport.available()) {
      return describe(network);
    }
    DataType dataType = network.getLayerWiseConfigurations().getDataType();
    Layer[] layers = network.getLayers();
    for (int i = 0; i < layers.length; i++) {
      if (usesLibNd4jPooling(layers[i])) {
        replace(network, i, new LibNd4jPoolingLayer(layers[i].conf(), dataType));
      } else {
        engage(layers[i], dataType);
      }
    }
    return describe(network);
  }

  /** The helper class simple name of each layer ("built-in" where there is none), in order. */
  public static List<String> describe(MultiLayerNetwork network) {
    List<String> helpers = new ArrayList<>();
    for (Layer layer : network.getLayers()) {
      LayerHelper helper = layer.getHelper();
      if (layer instanceof LibNd4jPoolingLayer) {
        helpers.add(LibNd4jPoolingLayer.class.getSimpleName());
      } else {
        helpers.add(helper == null ? "built-in" : helper.getClass().getSimpleName());
      }
    }
    return helpers;
  }

  /**
   * NCHW pooling runs faster on libnd4j's kernels than on oneDNN's (see {@link
   * LibNd4jPoolingLayer}); NHWC pooling is faster on oneDNN's, so it keeps the oneDNN helper.
   */
  private static boolean usesLibNd4jPooling(Layer layer) {
    return layer.getClass() == SubsamplingLayer.class
        && ((org.deeplearning4j.nn.conf.layers.SubsamplingLayer) layer.conf().getLayer())
                .getCnn2dDataFormat()
            == CNN2DFormat.NCHW;
  }

  /** Puts {@code replacement} at {@code index}, carrying over what DL4J set on the original. */
  private static void replace(MultiLayerNetwork network, int index, Layer replacement) {
    Layer original = network.getLayers()[index];
    replacement.setIndex(original.getIndex());
    replacement.setListeners(original.getListeners());
    replacement.setParamTable(original.paramTable());
    Layer[] layers = network.getLayers().clone();
    layers[index] = replacement;
    network.setLayers(layers);
    try {
      Field field = MultiLayerNetwork.class.getDeclaredField("layerMap");
      field.setAccessible(true);
      @SuppressWarnings("unchecked")
      Map<String, Layer> byName = (Map<String, Layer>) field.get(network);
      byName.replaceAll((name, layer) -> layer == original ? replacement : layer);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "Cannot replace layer " + index + " of a MultiLayerNetwork (DL4J version changed?): " + e,
          e);
    }
  }

  private static void engage(Layer layer, DataType dataType) {
    if (layer.getHelper() != null) {
      return;
    }
    if (layer instanceof ConvolutionLayer) {
      // Subclasses (deconvolution, depthwise, separable, 1D/3D) have their own op semantics and no
      // oneDNN helper in DL4J; only plain 2D convolution is wired.
      if (layer.getClass() == ConvolutionLayer.class) {
        install(layer, ConvolutionLayer.class, new MKLDNNConvHelper(dataType));
      }
    } else if (layer.getClass() == SubsamplingLayer.class) {
      install(layer, SubsamplingLayer.class, new MKLDNNSubsamplingHelper(dataType));
    } else if (layer instanceof BatchNormalization) {
      org.deeplearning4j.nn.conf.layers.BatchNormalization conf =
          (org.deeplearning4j.nn.conf.layers.BatchNormalization) layer.conf().getLayer();
      // DL4J's own rule (MKLDNNBatchNormHelper.checkSupported): no locked gamma/beta.
      if (!conf.isLockGammaBeta()) {
        install(layer, BatchNormalization.class, new MKLDNNBatchNormHelper(dataType));
      }
    } else if (layer instanceof LocalResponseNormalization) {
      install(
          layer,
          LocalResponseNormalization.class,
          new MKLDNNLocalResponseNormalizationHelper(dataType));
    }
  }

  private static void install(Layer layer, Class<?> owner, LayerHelper helper) {
    try {
      Field field = owner.getDeclaredField("helper");
      field.setAccessible(true);
      field.set(layer, helper);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "Cannot install "
              + helper.getClass().getSimpleName()
              + " on "
              + owner.getName()
              + " (DL4J version changed?): "
              + e,
          e);
    }
  }
}
