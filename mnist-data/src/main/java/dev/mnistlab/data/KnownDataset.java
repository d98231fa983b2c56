package dev.mnistlab.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The MNIST-family datasets mnistlab knows: their ids, class names, the four published files with
 * official sizes and SHA-256 (of the gzip files and, where known, of their decompressed IDX
 * content), default download mirrors and system install locations.
 *
 * <p>Where the checksums come from:
 * <ul>
 *   <li>MNIST: the SHA-256 lists of torchvision's MNIST loader ports and tensorflow_datasets'
 *       {@code url_checksums/mnist.tsv}; sizes as given on Yann LeCun's MNIST page (9,912,422,
 *       28,881, 1,648,877 and 4,542 bytes). The files on the mirrors are byte-identical copies of
 *       the originals. The authors publish no checksum of the decompressed files; the content
 *       SHA-256 values are those that independent third parties pin for the files gunzip makes of
 *       the published ones: a download tool that checks each published SHA-256 above and then the
 *       extracted file's against these, torchvision {@code MNIST/raw} folders on Hugging Face whose
 *       {@code .gz} files carry the published SHA-256 beside decompressed files with these, and
 *       several other projects' data pins, all agreeing. They could not be re-checked here (no full
 *       MNIST on the development machine); a wrong value could only fail to recognise a repackaged
 *       copy, never accept other data, since the published files are matched by their own checksum.
 *   <li>Fashion-MNIST: sizes from Zalando Research's README; SHA-256 as listed by torchvision's
 *       loader ports for the files on the official S3 site. Debian's {@code dataset-fashion-mnist}
 *       package ({@code 0.0~git20200523.55506a9-1}) ships the same files with a normalised gzip
 *       header (no stored file name, the package date as time stamp), 23 or 24 bytes shorter and
 *       with other file checksums. Restoring the header (the name, time stamps 2017-08-31 10:50:06
 *       UTC for the training and 10:50:27 UTC for the test files, gzip(1)'s XFL 0 and OS 3)
 *       reproduces all four published files byte for byte, so Debian's deflate streams are the
 *       published ones; the content checksums were computed from them (decompressed sizes exactly
 *       the official 47,040,016, 60,008, 7,840,016 and 10,008 bytes). {@code FashionMnistDatasetTest}
 *       re-checks both. Debian's folder is this dataset's {@linkplain DatasetSpec#systemLocations()
 *       system location}.
 *   <li>KMNIST: SHA-256 and sizes as listed by dataset loaders that pin CODH's published files
 *       (torchvision ports, the KMNIST README mirrors); train images 18,165,135 bytes, also seen in
 *       torchvision's download progress.
 * </ul>
 *
 * <p>No source of content (decompressed) SHA-256 values was found for KMNIST, so they are absent:
 * its files are recognised by the published file checksums only.
 */
public enum KnownDataset {
  /** MNIST handwritten digits (LeCun, Cortes, Burges; CC BY-SA 3.0). */
  MNIST("mnist", "MNIST",
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
      new long[] {9_912_422, 28_881, 1_648_877, 4_542},
      new String[] {
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"},
      new long[] {47_040_016, 60_008, 7_840_016, 10_008},
      new String[] {
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
      List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
          URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
      List.of()),

  /** Fashion-MNIST article images (Zalando Research; MIT licence). */
  FASHION_MNIST("fashion", "Fashion-MNIST",
      List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
          "Ankle boot"),
      new long[] {26_421_880, 29_515, 4_422_102, 5_148},
      new String[] {
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"},
      new long[] {47_040_016, 60_008, 7_840_016, 10_008},
      new String[] {
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"},
      List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
      List.of(Path.of("/usr/share/datasets/fashion-mnist"))),

  /** Kuzushiji-MNIST cursive Japanese hiragana (CODH; CC BY-SA 4.0); class names romanised. */
  KMNIST("kmnist", "Kuzushiji-MNIST",
      List.of("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
      new long[] {18_165_135, 29_497, 3_041_136, 5_120},
      new String[] {
        "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4",
        "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17",
        "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5",
        "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c"},
      null, null,
      List.of(URI.create("http://codh.rois.ac.jp/kmnist/dataset/kmnist/")),
      List.of());

  private final DatasetSpec spec;

  KnownDataset(String id, String displayName, List<String> classNames, long[] sizes, String[] sha256,
      long[] contentSizes, String[] contentSha256, List<URI> defaultMirrors, List<Path> systemLocations) {
    DatasetSpec.Builder b = DatasetSpec.builder(id).displayName(displayName).classNames(classNames)
        .mirrors(defaultMirrors).systemLocations(systemLocations);
    FileRole[] roles = FileRole.values();
    for (int i = 0; i < roles.length; i++) {
      DatasetFile file = DatasetFile.of(roles[i], roles[i].gzipName(), sizes[i], sha256[i]);
      b.file(contentSha256 == null ? file : file.withContent(contentSizes[i], contentSha256[i]));
    }
    this.spec = b.build();
  }

  /** The full description of this dataset. */
  public DatasetSpec spec() {
    return spec;
  }

  /** The short id used on the command line and as cache folder name: mnist, fashion, kmnist. */
  public String id() {
    return spec.id();
  }

  /** The dataset's usual name, e.g. {@code Fashion-MNIST}. */
  public String displayName() {
    return spec.displayName();
  }

  /** Class names, indexed by label. */
  public List<String> classNames() {
    return spec.classNames();
  }

  /** The number of classes (10 for all three). */
  public int numClasses() {
    return spec.numClasses();
  }

  /** The four published files, in {@link FileRole} order. */
  public List<DatasetFile> files() {
    return spec.files();
  }

  /** The published file with the given role. */
  public DatasetFile file(FileRole role) {
    return spec.file(role);
  }

  /** Default download mirrors, tried in order; each is a base URI the file names resolve against. */
  public List<URI> defaultMirrors() {
    return spec.mirrors();
  }

  /**
   * The dataset with the given id (case-insensitive; the display name, e.g. {@code fashion-mnist},
   * and the constant name are accepted too).
   *
   * @throws IllegalArgumentException listing the valid ids if {@code id} is unknown
   */
  public static KnownDataset fromId(String id) {
    return find(id).orElseThrow(() -> new IllegalArgumentException("unknown dataset '" + id
        + "': expected one of " + Arrays.stream(values()).map(KnownDataset::id).collect(Collectors.joining(", "))));
  }

  /**
   * The dataset whose four files have these SHA-256 values (in {@link FileRole} order), each
   * either the published file's or, where known, its decompressed content's (see {@link
   * DatasetFile#matches}): so a repackaged copy such as Debian's Fashion-MNIST, whose gzip headers
   * differ, is recognised by its content.
   */
  public static Optional<KnownDataset> recognise(List<String> sha256InRoleOrder) {
    return recognise(sha256InRoleOrder, sha256InRoleOrder);
  }

  /**
   * The dataset whose files, in {@link FileRole} order, have these file and content SHA-256 values
   * (see {@link DatasetFile#matches}).
   */
  static Optional<KnownDataset> recognise(List<String> fileSha256, List<String> contentSha256) {
    for (KnownDataset d : values()) {
      List<DatasetFile> files = d.files();
      boolean all = files.size() == fileSha256.size() && files.size() == contentSha256.size();
      for (int i = 0; all && i < files.size(); i++) {
        all = files.get(i).matches(fileSha256.get(i), contentSha256.get(i));
      }
      if (all) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** The dataset with the given id, if any (see {@link #fromId}). */
  public static Optional<KnownDataset> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String key = id.trim().toLowerCase(Locale.ROOT);
    for (KnownDataset d : values()) {
      if (d.id().equals(key) || d.displayName().toLowerCase(Locale.ROOT).equals(key) || d.name().equalsIgnoreCase(key)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
