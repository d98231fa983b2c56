package dev.mnistlab.data;

import static com.google.common.base.Preconditions.checkArgument;

import dev.mnistlab.data.internal.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MNIST-format dataset in memory: a training and a test split, class names, and the SHA-256
 * of each file it was loaded from (for provenance).
 *
 * <p>{@link #load(Path)} reads any folder holding the four files under their usual names ({@code
 * train-images-idx3-ubyte.gz}, ..., or uncompressed without {@code .gz}). A folder given
 * explicitly is trusted: its files may differ from the official ones (a subset such as mnist-10k,
 * a repacked copy); their checksums are computed and recorded, and {@link #matchesOfficialFiles()}
 * says whether they are the published bytes.
 */
public final class MnistDataset {
  private static final Logger log = LoggerFactory.getLogger(MnistDataset.class);

  private final String name;
  private final DatasetSpec spec;
  private final List<String> classNames;
  private final LabeledImages train;
  private final LabeledImages test;
  private final Map<String, String> checksums;
  private final Path source;
  private final boolean official;

  private MnistDataset(String name, DatasetSpec spec, List<String> classNames, LabeledImages train,
      LabeledImages test, Map<String, String> checksums, Path source, boolean official) {
    this.name = name;
    this.spec = spec;
    this.classNames = List.copyOf(classNames);
    this.train = train;
    this.test = test;
    this.checksums = Collections.unmodifiableMap(new LinkedHashMap<>(checksums));
    this.source = source;
    this.official = official;
  }

  /**
   * An in-memory dataset not backed by files (no checksums, no source folder).
   *
   * @throws IllegalArgumentException if the splits disagree on image size or class count, or the
   *     class names do not match the class count
   */
  public static MnistDataset of(String name, List<String> classNames, LabeledImages train, LabeledImages test) {
    checkArgument(train.rows() == test.rows() && train.cols() == test.cols(),
        "train images are %sx%s but test images %sx%s", train.rows(), train.cols(), test.rows(), test.cols());
    checkArgument(train.numClasses() == classNames.size() && test.numClasses() == classNames.size(),
        "%s class names for %s/%s classes", classNames.size(), train.numClasses(), test.numClasses());
    return new MnistDataset(name, null, classNames, train, test, Map.of(), null, false);
  }

  /**
   * Loads the four files in {@code folder}. The dataset is recognised as MNIST, Fashion-MNIST or
   * KMNIST when its files are the official ones or a known faithful copy (see {@link
   * KnownDataset#recognise}); otherwise it is named after the folder, with classes "0".."9".
   *
   * @throws DatasetUnavailableException if a file is missing (the message lists which)
   * @throws IdxFormatException if a file is malformed or the files do not fit together
   */
  public static MnistDataset load(Path folder) throws IOException {
    return load(folder, (DatasetSpec) null);
  }

  /**
   * Loads the four files in {@code folder} as {@code spec} (class names, name), whether or not they
   * are the official bytes.
   *
   * @param spec the dataset the folder holds
   * @throws DatasetUnavailableException if a file is missing (the message lists which)
   * @throws IdxFormatException if a file is malformed or the files do not fit together
   */
  public static MnistDataset load(Path folder, KnownDataset spec) throws IOException {
    return load(folder, spec.spec());
  }

  /**
   * Loads the four files in {@code folder} as the dataset {@code spec} describes (class names,
   * name), whether or not they are its published bytes.
   *
   * @param spec the dataset the folder holds, or null to recognise it by checksum
   * @throws DatasetUnavailableException if a file is missing (the message lists which)
   * @throws IdxFormatException if a file is malformed or the files do not fit together
   */
  public static MnistDataset load(Path folder, DatasetSpec spec) throws IOException {
    Map<FileRole, Path> files = locateFiles(folder);
    Map<String, String> checksums = new LinkedHashMap<>();
    Map<FileRole, IdxArray> arrays = new EnumMap<>(FileRole.class);
    for (Map.Entry<FileRole, Path> e : files.entrySet()) {
      MessageDigest digest = Sha256.newDigest();
      arrays.put(e.getKey(), IdxFiles.read(e.getValue(), digest));
      checksums.put(e.getValue().getFileName().toString(), Sha256.hex(digest));
    }
    DatasetSpec effective = spec != null ? spec : recognise(checksums).map(KnownDataset::spec).orElse(null);
    boolean official = effective != null && isPublished(effective, checksums);
    List<String> classNames = effective != null ? effective.classNames() : digitClassNames(10);
    String name = effective != null ? effective.id() : folderName(folder);

    LabeledImages train = pair(files.get(FileRole.TRAIN_IMAGES), arrays.get(FileRole.TRAIN_IMAGES),
        files.get(FileRole.TRAIN_LABELS), arrays.get(FileRole.TRAIN_LABELS), classNames.size(), name);
    LabeledImages test = pair(files.get(FileRole.TEST_IMAGES), arrays.get(FileRole.TEST_IMAGES),
        files.get(FileRole.TEST_LABELS), arrays.get(FileRole.TEST_LABELS), classNames.size(), name);
    if (train.rows() != test.rows() || train.cols() != test.cols()) {
      throw new IdxFormatException(files.get(FileRole.TEST_IMAGES).toString(), "images are " + test.rows() + "x"
          + test.cols() + " but the training images are " + train.rows() + "x" + train.cols());
    }
    if (spec != null && !official) {
      log.info("{}: files are not the official {} files (checksums differ); using them as given, with computed"
          + " checksums", folder, spec.displayName());
    }
    log.debug("loaded {} from {}: {} train, {} test", name, folder, train.count(), test.count());
    return new MnistDataset(name, effective, classNames, train, test, checksums, folder, official);
  }

  /** The files of each role in {@code folder}: {@code NAME.gz} or plain {@code NAME}. */
  static Map<FileRole, Path> locateFiles(Path folder) throws DatasetUnavailableException {
    Map<FileRole, Path> found = new EnumMap<>(FileRole.class);
    List<String> missing = new ArrayList<>();
    for (FileRole role : FileRole.values()) {
      Path gz = folder.resolve(role.gzipName());
      Path plain = folder.resolve(role.baseName());
      if (Files.isRegularFile(gz)) {
        found.put(role, gz);
      } else if (Files.isRegularFile(plain)) {
        found.put(role, plain);
      } else {
        missing.add(role.gzipName());
      }
    }
    if (!missing.isEmpty()) {
      throw DatasetUnavailableException.missingInFolder(folder, missing);
    }
    return found;
  }

  private static Optional<KnownDataset> recognise(Map<String, String> checksums) {
    return KnownDataset.recognise(new ArrayList<>(checksums.values()));
  }

  private static boolean isPublished(DatasetSpec spec, Map<String, String> checksums) {
    for (DatasetFile f : spec.files()) {
      if (!f.sha256().equals(checksums.get(f.fileName()))) {
        return false;
      }
    }
    return true;
  }

  static LabeledImages pair(Path imagesFile, IdxArray images, Path labelsFile, IdxArray labels,
      int numClasses, String name) throws IdxFormatException {
    if (images.type() != IdxType.UNSIGNED_BYTE || images.rank() != 3) {
      throw new IdxFormatException(imagesFile.toString(), "expected unsigned-byte images of rank 3"
          + " (count x rows x cols, magic 0x00000803), found " + images.type() + " " + IdxHeader.formatDims(images.dims()));
    }
    if (labels.type() != IdxType.UNSIGNED_BYTE || labels.rank() != 1) {
      throw new IdxFormatException(labelsFile.toString(), "expected unsigned-byte labels of rank 1"
          + " (magic 0x00000801), found " + labels.type() + " " + IdxHeader.formatDims(labels.dims()));
    }
    if (images.count() != labels.count()) {
      throw new IdxFormatException(labelsFile.toString(), "holds " + labels.count() + " labels but "
          + imagesFile.getFileName() + " holds " + images.count() + " images: the counts must match");
    }
    int bad = LabeledImages.firstLabelOutside(labels.payloadNoCopy(), numClasses);
    if (bad >= 0) {
      throw new IdxFormatException(labelsFile.toString(), "label " + (labels.payloadNoCopy()[bad] & 0xFF)
          + " at index " + bad + " is outside the classes 0.." + (numClasses - 1) + " of " + name);
    }
    return LabeledImages.of(images, labels, numClasses);
  }

  /** Class names "0".."n-1". */
  static List<String> digitClassNames(int n) {
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add(Integer.toString(i));
    }
    return names;
  }

  private static String folderName(Path folder) {
    Path fileName = folder.toAbsolutePath().normalize().getFileName();
    return fileName == null ? "dataset" : fileName.toString();
  }

  /**
   * Writes the four files ({@code *.gz} when compressed) into {@code folder}, each atomically.
   */
  public void write(Path folder, Compression compression) throws IOException {
    Files.createDirectories(folder);
    String suffix = compression == Compression.GZIP ? ".gz" : "";
    IdxFiles.write(folder.resolve(FileRole.TRAIN_IMAGES.baseName() + suffix), train.imagesAsIdx(), compression);
    IdxFiles.write(folder.resolve(FileRole.TRAIN_LABELS.baseName() + suffix), train.labelsAsIdx(), compression);
    IdxFiles.write(folder.resolve(FileRole.TEST_IMAGES.baseName() + suffix), test.imagesAsIdx(), compression);
    IdxFiles.write(folder.resolve(FileRole.TEST_LABELS.baseName() + suffix), test.labelsAsIdx(), compression);
  }

  /** The dataset's id ({@code mnist}, {@code fashion}, {@code kmnist}) or, if unknown, its folder's name. */
  public String name() {
    return name;
  }

  /** The dataset this is, if it was recognised or given. */
  public Optional<DatasetSpec> spec() {
    return Optional.ofNullable(spec);
  }

  /** Class names, indexed by label. */
  public List<String> classNames() {
    return classNames;
  }

  /** The training split (for MNIST, 60,000 images). */
  public LabeledImages train() {
    return train;
  }

  /** The test split (for MNIST, 10,000 images). */
  public LabeledImages test() {
    return test;
  }

  /** File name to lower-case hex SHA-256 of the bytes loaded, in train/test images/labels order. */
  public Map<String, String> checksums() {
    return checksums;
  }

  /** The folder the files were loaded from, if loaded from files. */
  public Optional<Path> source() {
    return Optional.ofNullable(source);
  }

  /** Whether the loaded files are byte for byte the official published files of {@link #spec()}. */
  public boolean matchesOfficialFiles() {
    return official;
  }

  /** For example {@code MnistDataset[mnist: 60000 train, 10000 test, 28x28, 10 classes]}. */
  @Override
  public String toString() {
    return "MnistDataset[" + name + ": " + train.count() + " train, " + test.count() + " test, " + train.rows() + "x"
        + train.cols() + ", " + classNames.size() + " classes" + (source != null ? ", from " + source : "") + "]";
  }
}
