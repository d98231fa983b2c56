package dev.mnistlab.models.bench;

import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.ZooModel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes every zoo model's summary ({@code NAME.txt}) and architecture picture ({@code NAME.svg})
 * into a folder (default {@code docs/zoo} of this module). Run by {@code bench/zoo-pictures.sh}.
 */
public final class ZooPictures {

  private ZooPictures() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/zoo");
    Files.createDirectories(out);
    StringBuilder all = new StringBuilder();
    for (ZooModel model : ModelZoo.models()) {
      String summary = model.summary();
      Files.writeString(out.resolve(model.name() + ".txt"), summary);
      model.writeArchitectureSvg(out.resolve(model.name() + ".svg"));
      all.append(summary).append('\n');
    }
    System.out.print(all);
  }
}
