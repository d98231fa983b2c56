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
 * of each file it was loaded from and of its decompressed content (for provenance).
 *
 * <p>{@link #load(Path)} reads any folder holding the four files under their usual names ({@code
 * train-images-idx3-ubyte.gz}, ..., or uncompressed without {@code .gz}). A folder given
 * explicitly is trusted: its files may differ from the official ones (a subset such as mnist-10k,
 * a repacked copy); their checksums are computed while loading (one pass: the content is hashed as
 * it is inflated) and recorded. {@link #matchesOfficialData()} says whether the data is the
 * published data, whatever its packaging; {@link #matchesOfficialFiles()} whether the files are
 * byte for byte the published files.
 */
public final class MnistDataset {
  private static final Logger log = LoggerFactory.getLogger(MnistDataset.class);

  private final String name;
  private final DatasetSpec spec;
  private final List<String> classNames;
  private final LabeledImages train;
  private final LabeledImages test;
  private final Map<String, String> checksums;
  private final Map<String, String> contentChecksums;
  private final Path source;
  private final List<String> differences;
  private final boolean officialFiles;

  private MnistDataset(String name, DatasetSpec spec, List<String> classNames, LabeledImages train,
      LabeledImages test, Map<String, String> checksums, Map<String, String> contentChecksums, Path source,
      List<String> differences, boolean officialFiles) {
    this.name = name;
    this.spec = spec;
    this.classNames = List.copyOf(classNames);
    this.train = train;
    this.test = test;
    this.checksums = Collections.unmodifiableMap(new LinkedHashMap<>(checksums));
    this.contentChecksums = Collections.unmodifiableMap(new LinkedHashMap<>(contentChecksums));
    this.source = source;
    this.differences = List.copyOf(differences);
    this.officialFiles = officialFiles;
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
    return new MnistDataset(name, null, classNames, train, test, Map.of(), Map.of(), null,
        List.of("an in-memory dataset, not loaded from files"), false);
  }

  /**
   * Loads the four files in {@code folder}. The dataset is recognised as MNIST, Fashion-MNIST or
   * KMNIST when its files are the official ones or hold the official content (see {@link
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
    Map<FileRole, String> fileSha = new EnumMap<>(FileRole.class);
    Map<FileRole, String> contentSha = new EnumMap<>(FileRole.class);
    Map<FileRole, IdxArray> arrays = new EnumMap<>(FileRole.class);
    for (Map.Entry<FileRole, Path> e : files.entrySet()) {
      MessageDigest digest = Sha256.newDigest();
      MessageDigest contentDigest = Sha256.newDigest();
      arrays.put(e.getKey(), IdxFiles.read(e.getValue(), digest, contentDigest));
      fileSha.put(e.getKey(), Sha256.hex(digest));
      contentSha.put(e.getKey(), Sha256.hex(contentDigest));
    }
    Map<String, String> checksums = byFileName(files, fileSha);
    DatasetSpec effective = spec != null ? spec
        : KnownDataset.recognise(new ArrayList<>(fileSha.values()), new ArrayList<>(contentSha.values()))
            .map(KnownDataset::spec).orElse(null);
    List<String> differences = effective != null ? differences(effective, files, fileSha, contentSha)
        : List.of("not recognised as a known dataset (its checksums match none)");
    boolean officialFiles = effective != null && effective.files().stream()
        .allMatch(f -> f.sha256().equals(fileSha.get(f.role())));
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
    if (spec != null && !differences.isEmpty()) {
      log.info("{}: not the official {} data ({}); using it as given, with computed checksums", folder,
          spec.displayName(), String.join("; ", differences));
    }
    log.debug("loaded {} from {}: {} train, {} test", name, folder, train.count(), test.count());
    return new MnistDataset(name, effective, classNames, train, test, checksums, byFileName(files, contentSha),
        folder, differences, officialFiles);
  }

  private static Map<String, String> byFileName(Map<FileRole, Path> files, Map<FileRole, String> values) {
    Map<String, String> named = new LinkedHashMap<>();
    for (Map.Entry<FileRole, Path> e : files.entrySet()) {
      named.put(e.getValue().getFileName().toString(), values.get(e.getKey()));
    }
    return named;
  }

  /** One line per file whose bytes are not the published file and whose content is not the published content. */
  private static List<String> differences(DatasetSpec spec, Map<FileRole, Path> files, Map<FileRole, String> fileSha,
      Map<FileRole, String> contentSha) {
    List<String> out = new ArrayList<>();
    for (DatasetFile f : spec.files()) {
      String name = files.get(f.role()).getFileName().toString();
      if (f.matches(fileSha.get(f.role()), contentSha.get(f.role()))) {
        continue;
      }
      if (f.contentSha256().isPresent()) {
        out.add(name + ": decompressed content has SHA-256 " + contentSha.get(f.role()) + ", the published "
            + f.role().baseName() + " has " + f.contentSha256().get());
      } else {
        out.add(name + ": SHA-256 " + fileSha.get(f.role()) + " is not the published " + f.fileName() + "'s "
            + f.sha256() + " (no content checksum is known for this file)");
      }
    }
    return out;
  }

  /** The files of each role in {@code folder}: {@code NAME.gz} or plain {@code NAME}. */
  static Map<FileRole, Path> locateFiles(Path folder) throws IOException {
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
        // something is there but it is no file (a FIFO, a directory, a link loop): say so
        for (Path p : List.of(gz, plain)) {
          if (InputFiles.existsAsSomething(p)) {
            InputFiles.requireRegularFile(p, "the IDX file " + role.baseName());
          }
        }
        missing.add(role.gzipName());
      }
    }
    if (!missing.isEmpty()) {
      throw DatasetUnavailableException.missingInFolder(folder, missing);
    }
    return found;
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

  /**
   * File name to lower-case hex SHA-256 of each file's IDX content (decompressed), in train/test
   * images/labels order: the same for every packaging of the same data (recompressed, with other
   * gzip headers, or uncompressed), so it is what to compare across machines.
   */
  public Map<String, String> contentChecksums() {
    return contentChecksums;
  }

  /** The folder the files were loaded from, if loaded from files. */
  public Optional<Path> source() {
    return Optional.ofNullable(source);
  }

  /** Whether the loaded files are byte for byte the official published files of {@link #spec()}. */
  public boolean matchesOfficialFiles() {
    return officialFiles;
  }

  /**
   * Whether the loaded data is the official data of {@link #spec()}: every file is either the
   * published file or holds its published decompressed content (see {@link DatasetFile#matches}).
   * True for the published files and for faithful repackagings such as Debian's Fashion-MNIST.
   */
  public boolean matchesOfficialData() {
    return spec != null && differences.isEmpty();
  }

  /**
   * Why the data is not the official data, one line per file (naming both checksums); empty when
   * {@link #matchesOfficialData()}.
   */
  public List<String> differencesFromOfficialData() {
    return differences;
  }

  /** For example {@code MnistDataset[mnist: 60000 train, 10000 test, 28x28, 10 classes]}. */
  @Override
  public String toString() {
    return "MnistDataset[" + name + ": " + train.count() + " train, " + test.count() + " test, " + train.rows() + "x"
        + train.cols() + ", " + classNames.size() + " classes" + (source != null ? ", from " + source : "") + "]";
  }
}
