package dev.nabla.cli;

import dev.nabla.cli.train.Choices;
import dev.nabla.cli.train.DataSource;
import dev.nabla.cli.train.ModelCard;
import dev.nabla.cli.train.PreparedData;
import dev.nabla.cli.train.ProgressPrinter;
import dev.nabla.cli.train.RunFolder;
import dev.nabla.cli.train.Settings;
import dev.nabla.data.DataLoader;
import dev.nabla.data.RandomShift;
import dev.nabla.io.AtomicFile;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.LRScheduler;
import dev.nabla.optim.Optimizer;
import dev.nabla.parallel.Parallel;
import dev.nabla.train.Architecture;
import dev.nabla.train.Callback;
import dev.nabla.train.Checkpoint;
import dev.nabla.train.Cnn;
import dev.nabla.train.EarlyStopping;
import dev.nabla.train.EpochMetrics;
import dev.nabla.train.History;
import dev.nabla.train.Mlp;
import dev.nabla.train.ModelFile;
import dev.nabla.train.Objective;
import dev.nabla.train.Trainer;
import dev.nabla.train.TrainingDivergedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code nabla train}: trains an MLP or a small CNN ({@code --model cnn}, for images) on a built-in
 * or given dataset, shows its progress, and writes a run folder (model, metrics, curves, decision
 * regions). With no argument it learns the two-dimensional spirals in a few seconds.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains a network on a dataset and writes a run folder.",
        "The folder gets model.safetensors, metrics.csv, loss.png, accuracy.png,",
        "decision_boundary.png (2-D data), checkpoint.safetensors and settings.json.",
        "With no option: 3-class spirals, an MLP 2-64-64-3 and Adam for 50 epochs,",
        "in a few seconds.",
        "",
        "Examples:",
        "  nabla train",
        "  nabla train --dataset moons --layers 16,16 --epochs 30",
        "  nabla train --dataset mnist --data-dir ../shared/data/mnist --layers 256",
        "      --epochs 10 --batch-size 32 --lr 0.002 --label-smoothing 0.1",
        "      --augment shift:1",
        "  nabla train --dataset mnist --data-dir ../shared/data/mnist --model cnn",
        "      --epochs 3",
        "  nabla train --dataset data.csv --label-column species",
        "  nabla train --resume runs/spirals-20250101-120000 --epochs 80",
        ""})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "spirals",
        description = "spirals, moons, circles, xor, blobs, mnist, or a CSV file (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Folder with the MNIST files (default: ~/.cache/nabla/mnist, downloaded there when missing).")
    String dataDir;

    @Option(names = "--label-column", paramLabel = "COLUMN",
        description = "CSV label column: a header name or a 0-based position, -1 for the last (default: the last column).")
    String labelColumn;

    @Option(names = "--samples", paramLabel = "N", description = "Samples of a synthetic dataset (default: 2000 for spirals, else 1000).")
    Integer samples;

    @Option(names = "--noise", paramLabel = "X", description = "Noise of a synthetic dataset (standard deviation; default per dataset).")
    Double noise;

    @Option(names = "--classes", paramLabel = "N", description = "Classes of spirals or blobs (default: 3).")
    Integer classes;

    @Option(names = "--model", paramLabel = "KIND", defaultValue = "mlp",
        description = "mlp (Linear layers), or cnn (convolution blocks, then Linear layers; for images) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--channels", paramLabel = "SIZES",
        description = "The CNN's convolution blocks (3x3 convolution, activation, 2x2 max pooling), by their output channels, "
            + "comma-separated (default: 16,32).")
    String channels;

    @Option(names = "--image-shape", paramLabel = "C,H,W",
        description = "The CNN's input image, channels,height,width: 1,28,28 for mnist; a CSV file of pixels needs it.")
    String imageShape;

    @Option(names = "--layers", paramLabel = "SIZES",
        description = "Hidden Linear layer sizes, comma-separated; 'none' for none (default: 64,64 for mlp, none for cnn).")
    String layers;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
        description = "relu, tanh, sigmoid, leaky_relu, gelu (exact), gelu_tanh (its tanh approximation) or softplus (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--norm", paramLabel = "KIND", defaultValue = "none",
        description = "Normalization between every hidden layer and its activation: none, batch (BatchNorm1d; BatchNorm2d after a "
            + "convolution) or layer (LayerNorm; mlp only) (default: ${DEFAULT-VALUE}).")
    String norm;

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "cross_entropy",
        description = "cross_entropy, mse, l1, huber, bce, multi_margin or hinge (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
        description = "sgd, adam, adamw or rmsprop (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X",
        description = "Learning rate (default: 0.01 for adam/adamw, 0.1 for sgd, 0.001 for rmsprop; for cnn 0.003, 0.03 and 0.001).")
    Double lr;

    @Option(names = "--momentum", paramLabel = "X", description = "Momentum of sgd (default 0.9) or rmsprop (default 0).")
    Double momentum;

    @Option(names = "--weight-decay", paramLabel = "X", defaultValue = "0", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "cosine",
        description = "Learning-rate schedule: none, step, multistep:M1,M2,... (times --gamma after epochs M1, M2, ...), cosine, "
            + "exponential, plateau or onecycle (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--step-size", paramLabel = "N",
        description = "Epochs per step of the step schedule (default: a third of the epochs); patience of plateau (default: 5).")
    Integer stepSize;

    @Option(names = "--gamma", paramLabel = "X",
        description = "Factor of the step and multistep (default 0.1), exponential (0.95) and plateau (0.5) schedules.")
    Double gamma;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
        description = "Epochs of linear warm-up: the learning rate rises from a tenth of --lr to --lr over the first N epochs, "
            + "then the schedule runs over the remaining epochs, counting them from there (default: ${DEFAULT-VALUE}, none).")
    int warmup;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "50", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
        description = "Seed of the data, the split, the initial weights and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--val-fraction", paramLabel = "X", defaultValue = "0.2",
        description = "Fraction of the data held out for validation, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE", defaultValue = "0",
        description = "Stop after this many epochs without a better validation loss, and keep the best weights (default: off).")
    int earlyStopping;

    @Option(names = "--label-smoothing", paramLabel = "X", defaultValue = "0",
        description = "Label smoothing of the cross-entropy loss, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double labelSmoothing;

    @Option(names = "--augment", paramLabel = "KIND", defaultValue = "none",
        description = "none, or shift:N to move each training image by up to N pixels (image data only; default: ${DEFAULT-VALUE}).")
    String augment;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the math (default: the number of cores).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/<dataset>-<date>-<time>).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN",
        description = "Continue a run from its folder or checkpoint file, with its settings (only --epochs, --out, --threads may change).")
    Path resume;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
        description = "auto (a bar on a terminal, else a line per epoch), bar, lines or none (default: ${DEFAULT-VALUE}).")
    String progress;

    @Spec CommandSpec spec;

    /** Options a resumed run may change; every other one comes from the checkpoint. */
    private static final Set<String> RESUME_OPTIONS = Set.of("--resume", "--epochs", "--out", "--threads", "--progress");

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        if (threads != null) {
            if (threads < 1) throw new UserError("--threads " + threads + ": needs at least 1 thread");
            Parallel.setThreads(threads);
        }
        if (!List.of("auto", "bar", "lines", "none").contains(progress))
            throw new UserError("--progress " + progress + ": choose auto, bar, lines or none");

        // ---- everything is checked before the run folder is made
        Checkpoint from = null;
        Settings settings;
        Path dir;
        if (resume != null) {
            for (var o : spec.commandLine().getParseResult().matchedOptions())
                if (!RESUME_OPTIONS.contains(o.longestName()))
                    throw new UserError(o.longestName() + " cannot be changed when resuming: --resume continues the run with its own settings "
                        + "(only --epochs, --out and --threads may be given)");
            Path ckpt = Files.isDirectory(resume) ? resume.resolve(RunFolder.CHECKPOINT) : resume;
            if (!Files.isRegularFile(ckpt)) throw new UserError(ckpt + ": no such checkpoint");
            from = Checkpoint.read(ckpt);
            String json = from.metadata().get("nabla.settings");
            if (json == null) throw new UserError(ckpt + ": the checkpoint has no \"nabla.settings\" metadata; it was not written by nabla train");
            settings = Settings.fromJson(json);
            if (spec.commandLine().getParseResult().hasMatchedOption("--epochs")) {
                checkPositive("--epochs", epochs);
                settings = settings.withEpochs(epochs);
            }
            if (from.epochsDone() >= settings.epochs())
                throw new UserError(ckpt + ": the run has already done " + from.epochsDone() + " of its " + settings.epochs()
                    + " epochs; give --epochs with a larger number to train it further");
            dir = out != null ? out : ckpt.toAbsolutePath().getParent();
        } else {
            settings = settings(stdout);
            dir = null;
        }
        PreparedData data = DataSource.load(settings);
        Architecture architecture = Choices.architecture(settings, data);
        checkFitsInMemory(architecture);
        Objective objective = Choices.objective(settings.loss(), data.classes(), settings.labelSmoothing());
        RandomShift shift = augmentation(settings, data);
        if (dir == null) dir = out != null ? out : RunFolder.defaultPath(data.name());
        RunFolder.checkUsable(dir, from != null);

        // ---- build and train
        Sequential model = architecture.build(new SplittableRandom(settings.seed() ^ 0x6A09E667F3BCC909L));
        Optimizer opt = Choices.optimizer(settings, model.parameters());
        LRScheduler sched = Choices.schedule(settings, opt);
        ModelCard card = ModelCard.of(settings, data);
        Map<String, String> runMetadata = new LinkedHashMap<>(card.toMetadata());
        runMetadata.put(ModelFile.ARCHITECTURE_KEY, architecture.toJson());
        RunFolder.create(dir);
        Path runDir = dir;
        Trainer trainer = new Trainer(model, opt, objective).schedule(sched)
            .checkpointTo(dir.resolve(RunFolder.CHECKPOINT), runMetadata)
            .earlyStopping(settings.earlyStopping() > 0 ? EarlyStopping.patience(settings.earlyStopping()) : null);
        if (from != null) {
            try {
                trainer.restore(from);
            } catch (IllegalArgumentException e) {
                throw new UserError(resume + ": the checkpoint does not fit the run's settings: " + e.getMessage());
            }
        }
        boolean bar = progress.equals("bar") || (progress.equals("auto") && ProgressPrinter.stdoutIsTerminal());
        if (!progress.equals("none")) trainer.addCallback(new ProgressPrinter(stdout, bar));
        trainer.addCallback(new Callback() {
            @Override public void onEpochEnd(EpochMetrics m) {
                try {
                    RunFolder.writeMetrics(runDir, trainer.history());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        AtomicFile.writeString(dir.resolve(RunFolder.SETTINGS), settings.toJson() + "\n");

        DataLoader loader = new DataLoader(data.train(), settings.batchSize(), true, settings.seed(), false);
        if (shift != null) loader = loader.withTransform(shift);
        stdout.println(header(settings, data, architecture, dir, from));
        if (data.note() != null) stdout.println(data.note());
        stdout.flush();
        long start = System.nanoTime();
        History history;
        try {
            history = trainer.fit(loader, data.validation(), settings.epochs());
        } catch (TrainingDivergedException e) {
            throw new UserError(e.getMessage() + " (the last good checkpoint is in " + dir + ")", 1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        // ---- the run's files
        EpochMetrics fin = history.fin();
        List<String> written = RunFolder.writeResults(dir, model, architecture, card, data, history);
        stdout.println(summary(history, fin, seconds));
        stdout.println("wrote " + dir + "/: " + String.join(", ", written));
        stdout.flush();
        return 0;
    }

    // ================================================================ settings

    /** Resolves and checks the options into settings (nothing is written yet). */
    private Settings settings(PrintWriter stdout) throws IOException {
        DataSource.checkName(dataset);
        Choices.check("optimizer", optimizer, Choices.OPTIMIZERS);
        Choices.check("loss", loss, Choices.LOSSES);
        Choices.checkSchedule(schedule);
        if (!Mlp.ACTIVATIONS.contains(activation))
            throw new UserError("unknown activation \"" + activation + "\": choose " + String.join(", ", Mlp.ACTIVATIONS));
        Choices.check("model", model, Settings.MODELS);
        boolean cnn = model.equals("cnn");
        if (cnn && norm.equals("layer"))
            throw new UserError("--norm layer: a CNN takes none or batch (BatchNorm2d after every convolution); "
                + "layer normalization is for --model mlp");
        List<String> norms = cnn ? Cnn.NORMS : Mlp.NORMS;
        if (!norms.contains(norm)) throw new UserError("--norm " + norm + ": choose " + String.join(", ", norms));
        if (!cnn && channels != null) throw new UserError("--channels applies to --model cnn");
        if (!cnn && imageShape != null) throw new UserError("--image-shape applies to --model cnn");
        List<Integer> hidden = parseSizes("--layers", layers != null ? layers : cnn ? "none" : "64,64", true);
        List<Integer> conv = cnn ? parseSizes("--channels", channels != null ? channels : "16,32", false) : List.of();
        checkPositive("--epochs", epochs);
        checkPositive("--batch-size", batchSize);
        double rate = lr != null ? lr : Choices.defaultLr(optimizer, model);
        if (!(rate > 0) || Double.isInfinite(rate))
            throw new UserError("--lr " + fmt(rate) + ": the learning rate must be a positive number");
        double mom = momentum != null ? momentum : Choices.defaultMomentum(optimizer);
        if (!(mom >= 0 && mom < 1)) throw new UserError("--momentum " + fmt(mom) + ": must be in [0, 1)");
        if (momentum != null && (optimizer.equals("adam") || optimizer.equals("adamw")))
            throw new UserError("--momentum applies to sgd and rmsprop; " + optimizer + " has its own moment estimates");
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) throw new UserError("--weight-decay " + fmt(weightDecay) + ": must be ≥ 0");
        if (!(valFraction >= 0 && valFraction < 1)) throw new UserError("--val-fraction " + fmt(valFraction) + ": must be in [0, 1)");
        if (earlyStopping < 0) throw new UserError("--early-stopping " + earlyStopping + ": the patience must be ≥ 0 (0 turns it off)");
        if (earlyStopping > 0 && valFraction == 0 && !dataset.equals("mnist"))
            throw new UserError("--early-stopping watches the validation loss: it needs --val-fraction above 0");
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new UserError("--label-smoothing " + fmt(labelSmoothing) + ": must be in [0, 1)");
        String scheduleName = Choices.scheduleName(schedule);
        if (gamma != null && !Choices.SCHEDULES_WITH_GAMMA.contains(scheduleName))
            throw new UserError("--gamma applies to the step, multistep, exponential and plateau schedules, not " + scheduleName);
        if (stepSize != null && !Choices.SCHEDULES_WITH_STEP_SIZE.contains(scheduleName))
            throw new UserError("--step-size applies to the step and plateau schedules, not " + scheduleName);
        int step = stepSize != null ? stepSize : schedule.equals("plateau") ? 5 : Choices.defaultStepSize(epochs);
        if (stepSize != null) checkPositive("--step-size", stepSize);
        double g = gamma != null ? gamma : Choices.defaultGamma(schedule);
        if (gamma != null && !(gamma > 0 && gamma < 1) && !(schedule.equals("exponential") && gamma > 0 && gamma <= 1))
            throw new UserError("--gamma " + fmt(gamma) + ": must be in (0, 1)");
        if (warmup < 0) throw new UserError("--warmup " + warmup + ": must be ≥ 0 (0 turns it off)");
        if (warmup > 0 && (scheduleName.equals("plateau") || scheduleName.equals("onecycle")))
            throw new UserError("--warmup does not combine with the " + scheduleName + " schedule"
                + (scheduleName.equals("onecycle") ? " (1cycle has its own warm-up)" : " (it reacts to the validation loss, not to epochs)"));
        if (warmup > 0 && warmup >= epochs)
            throw new UserError("--warmup " + warmup + ": must be fewer than --epochs (" + epochs + ")");
        parseAugment(augment);

        boolean synthetic = DataSource.isSynthetic(dataset);
        if (!synthetic && (samples != null || noise != null || classes != null))
            throw new UserError((samples != null ? "--samples" : noise != null ? "--noise" : "--classes") + " applies to the synthetic datasets only");
        if (labelColumn != null && (synthetic || dataset.equals("mnist")))
            throw new UserError("--label-column applies to CSV files only");
        if (dataDir != null && !dataset.equals("mnist")) throw new UserError("--data-dir applies to --dataset mnist only");
        int n = samples != null ? samples : synthetic ? DataSource.defaultSamples(dataset) : 0;
        if (synthetic && n < 2) throw new UserError("--samples " + n + ": needs at least 2 samples");
        double nz = noise != null ? noise : synthetic ? DataSource.defaultNoise(dataset) : 0;
        if (!(nz >= 0) || Double.isInfinite(nz)) throw new UserError("--noise " + fmt(nz) + ": must be ≥ 0");
        int k = classes != null ? classes : DataSource.defaultClasses(dataset);
        if (classes != null && !dataset.equals("spirals") && !dataset.equals("blobs"))
            throw new UserError("--classes applies to spirals and blobs only (" + dataset + " has 2 classes)");
        if (classes != null && (classes < 2 || classes > 10)) throw new UserError("--classes " + classes + ": choose 2 to 10");
        List<Integer> shape = cnn ? imageShape(synthetic, conv) : List.of();
        String resolvedDir = null;
        String ds = dataset;
        if (dataset.equals("mnist")) resolvedDir = DataSource.mnistDir(dataDir, line -> { stdout.println(line); stdout.flush(); }).toString();
        else if (!synthetic) ds = Path.of(dataset).toAbsolutePath().normalize().toString();
        return new Settings(ds, resolvedDir, labelColumn, n, nz, synthetic ? k : 0, model, shape, conv, hidden, activation, norm, loss,
            optimizer, rate, mom, weightDecay, schedule, step, g, warmup, epochs, batchSize, seed, valFraction, earlyStopping, labelSmoothing, augment);
    }

    /**
     * Sizes separated by commas ("64,64"), each from 1 to 65536, for an option (--layers, --channels);
     * "none" or "" is the empty list when noneAllowed.
     */
    static List<Integer> parseSizes(String option, String spec, boolean noneAllowed) {
        List<Integer> out = new ArrayList<>();
        String what = option.equals("--layers") ? "layer size" : "channel count";
        if (spec.isBlank() || spec.equalsIgnoreCase("none")) {
            if (noneAllowed) return out;
            throw new UserError(option + " " + spec + ": needs at least one " + what + " (whole numbers separated by commas, like 16,32)");
        }
        for (String part : spec.split(",", -1)) {
            String p = part.strip();
            int v;
            try {
                v = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new UserError(option + " " + spec + ": \"" + p + "\" is not a " + what + " (whole numbers separated by commas, like "
                    + (option.equals("--layers") ? "64,64" : "16,32") + ")");
            }
            if (v < 1) throw new UserError(option + " " + spec + ": " + what + " " + v + " must be at least 1");
            if (v > 65_536) throw new UserError(option + " " + spec + ": " + what + " " + v + " is too large (at most 65536)");
            out.add(v);
        }
        return out;
    }

    /**
     * The CNN's input image [C, H, W]: MNIST's 1×28×28, or --image-shape for a CSV file of pixels
     * (whose column count is checked once the file is read); synthetic points are no images. The
     * image must be large enough for the blocks' poolings.
     */
    private List<Integer> imageShape(boolean synthetic, List<Integer> conv) {
        if (synthetic)
            throw new UserError("--model cnn needs images: " + dataset + " is points in the plane (2 features); use --model mlp, or mnist, "
                + "or a CSV file of pixels with --image-shape C,H,W");
        List<Integer> shape;
        if (imageShape == null) {
            if (!dataset.equals("mnist"))
                throw new UserError("--model cnn on a CSV file needs --image-shape C,H,W: how its feature columns form an image "
                    + "(channel by channel, each row by row)");
            shape = MNIST_SHAPE;
        } else {
            String usage = "--image-shape " + imageShape + ": expected three sizes channels,height,width, like 1,28,28";
            String[] parts = imageShape.split(",", -1);
            if (parts.length != 3) throw new UserError(usage);
            List<Integer> s = new ArrayList<>();
            for (String p : parts) {
                try {
                    int v = Integer.parseInt(p.strip());
                    if (v < 1 || v > 65_536) throw new UserError("--image-shape " + imageShape + ": size " + v + " must be from 1 to 65536");
                    s.add(v);
                } catch (NumberFormatException e) {
                    throw new UserError(usage);
                }
            }
            shape = List.copyOf(s);
            if (dataset.equals("mnist") && !shape.equals(MNIST_SHAPE))
                throw new UserError("--image-shape " + imageShape + ": MNIST images are 1,28,28");
        }
        int blocks = conv.size(), h = shape.get(1), w = shape.get(2);
        if (blocks > 16 || (h >> blocks) < 1 || (w >> blocks) < 1)
            throw new UserError("--channels " + (channels != null ? channels : "16,32") + ": " + blocks
                + (blocks == 1 ? " convolution block needs" : " convolution blocks need") + " an image of at least "
                + (1 << Math.min(blocks, 16)) + "x" + (1 << Math.min(blocks, 16)) + " (each block halves the height and width with 2x2 max pooling); "
                + "this one is " + h + "x" + w);
        return shape;
    }

    private static final List<Integer> MNIST_SHAPE = List.of(1, 28, 28);

    /** Shift augmentation from "shift:N" (N pixels; "shift" means 1), or null for "none". */
    private static int parseAugment(String spec) {
        if (spec.equals("none")) return 0;
        if (spec.equals("shift")) return 1;
        if (spec.startsWith("shift:")) {
            try {
                int n = Integer.parseInt(spec.substring(6));
                if (n >= 1 && n <= 8) return n;
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new UserError("--augment " + spec + ": choose none, shift, or shift:N with N from 1 to 8 pixels");
    }

    private static RandomShift augmentation(Settings s, PreparedData data) {
        int n = parseAugment(s.augment());
        if (n == 0) return null;
        if (data.imageShape() == null) throw new UserError("--augment " + s.augment() + " moves images; " + data.name() + " is not image data");
        return new RandomShift(data.imageShape()[0], data.imageShape()[1], n, data.normalization().zero(0));
    }

    /** The parameters, their gradients and two optimizer buffers each must fit in the heap. */
    private static void checkFitsInMemory(Architecture arch) {
        long params = arch.parameterCount();
        long bytes = params * 4 * 4;
        long max = Runtime.getRuntime().maxMemory();
        if (params > Integer.MAX_VALUE || bytes > max * 0.8)
            throw new UserError("the network " + arch + " has " + String.format(Locale.ROOT, "%,d", params) + " parameters and needs about "
                + String.format(Locale.ROOT, "%.1f GB", bytes / 1e9) + " to train; the JVM may use " + String.format(Locale.ROOT, "%.1f GB", max / 1e9)
                + " (use smaller --layers" + (arch instanceof Cnn ? " or --channels" : "") + ", or more memory with NABLA_JAVA_OPTS=-Xmx...)");
    }

    private static void checkPositive(String option, int v) {
        if (v < 1) throw new UserError(option + " " + v + ": must be at least 1");
    }

    private static String fmt(double v) { return String.valueOf(v).replaceFirst("\\.0$", ""); }

    // ================================================================ messages

    private static String header(Settings s, PreparedData d, Architecture arch, Path dir, Checkpoint from) {
        String sched = (s.warmup() == 0 ? "" : ", " + s.warmup() + " warm-up epoch" + (s.warmup() == 1 ? "" : "s"))
            + (s.schedule().equals("none") ? "" : (s.warmup() == 0 ? ", " : " then ") + s.schedule() + " schedule");
        String task = d.isClassification() ? d.classes() + " classes" : "regression";
        String verb = from == null ? "training " : "resuming after epoch " + from.epochsDone() + ": ";
        return verb + arch + " on " + d.name() + " (" + d.train().size() + " samples, " + d.validation().size() + " for validation, "
            + task + "); " + s.optimizer() + " lr " + fmt(s.lr()) + sched + ", " + s.epochs() + " epochs of batch " + s.batchSize()
            + " -> " + dir;
    }

    private static String summary(History h, EpochMetrics fin, double seconds) {
        StringBuilder sb = new StringBuilder();
        String which = h.bestEpoch() > 0 ? "best epoch " + fin.epoch() : "epoch " + fin.epoch();
        if (fin.hasValidation() && !Double.isNaN(fin.valAccuracy()))
            sb.append(String.format(Locale.ROOT, "final validation accuracy %.2f%% (%s)", 100 * fin.valAccuracy(), which));
        else if (fin.hasValidation()) sb.append(String.format(Locale.ROOT, "final validation loss %.5g (%s)", fin.valLoss(), which));
        else if (!Double.isNaN(fin.trainAccuracy()))
            sb.append(String.format(Locale.ROOT, "final training accuracy %.2f%% (%s; no validation data)", 100 * fin.trainAccuracy(), which));
        else sb.append(String.format(Locale.ROOT, "final training loss %.5g (%s; no validation data)", fin.trainLoss(), which));
        if (h.stoppedEarly()) sb.append(", stopped early after epoch ").append(h.last().epoch());
        sb.append(String.format(Locale.ROOT, "; %.1f s", seconds));
        return sb.toString();
    }
}
