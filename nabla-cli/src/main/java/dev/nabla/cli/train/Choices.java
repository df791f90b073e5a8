package dev.nabla.cli.train;

import dev.nabla.autograd.Tensor;
import dev.nabla.cli.UserError;
import dev.nabla.nn.BCEWithLogitsLoss;
import dev.nabla.nn.CrossEntropyLoss;
import dev.nabla.nn.HuberLoss;
import dev.nabla.nn.L1Loss;
import dev.nabla.nn.MSELoss;
import dev.nabla.nn.MultiClassHingeLoss;
import dev.nabla.nn.MultiMarginLoss;
import dev.nabla.nn.Reduction;
import dev.nabla.optim.Adam;
import dev.nabla.optim.AdamW;
import dev.nabla.optim.ClosedFormLR;
import dev.nabla.optim.CosineAnnealingLR;
import dev.nabla.optim.ExponentialLR;
import dev.nabla.optim.LRScheduler;
import dev.nabla.optim.LinearWarmup;
import dev.nabla.optim.MultiStepLR;
import dev.nabla.optim.OneCycleLR;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.RMSprop;
import dev.nabla.optim.ReduceLROnPlateau;
import dev.nabla.optim.SGD;
import dev.nabla.optim.StepLR;
import dev.nabla.train.Architecture;
import dev.nabla.train.Cnn;
import dev.nabla.train.Mlp;
import dev.nabla.train.Objective;

import java.util.List;

/** The named choices of {@code nabla train}: losses, optimizers, schedules, and their defaults. */
public final class Choices {
    private Choices() {}

    public static final List<String> LOSSES = List.of("cross_entropy", "mse", "l1", "huber", "bce", "multi_margin", "hinge");
    public static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamw", "rmsprop");
    public static final List<String> SCHEDULES = List.of("none", "step", "cosine", "exponential", "plateau", "onecycle");
    /** The schedules that read --gamma (the others have no use for it). */
    public static final List<String> SCHEDULES_WITH_GAMMA = List.of("step", "multistep", "exponential", "plateau");
    /** The schedules that read --step-size: step's period, plateau's patience. */
    public static final List<String> SCHEDULES_WITH_STEP_SIZE = List.of("step", "plateau");

    /** The learning rate an optimizer gets when --lr is not given, for an MLP. */
    public static double defaultLr(String optimizer) { return defaultLr(optimizer, "mlp"); }

    /**
     * The learning rate an optimizer gets when --lr is not given: for an MLP 0.01 (sgd 0.1, rmsprop
     * 0.001); a CNN gets less, 0.003 (sgd 0.03, rmsprop 0.001), since on MNIST two epochs at the
     * MLP's rates ended anywhere from 92 to 98 % depending on the seed, and at these at 97.5 to 98 %.
     */
    public static double defaultLr(String optimizer, String model) {
        boolean cnn = model.equals("cnn");
        return switch (optimizer) {
            case "sgd" -> cnn ? 0.03 : 0.1;
            case "rmsprop" -> 0.001;
            default -> cnn ? 0.003 : 0.01;
        };
    }

    /** The momentum an optimizer gets when --momentum is not given (SGD 0.9, RMSprop 0). */
    public static double defaultMomentum(String optimizer) { return optimizer.equals("sgd") ? 0.9 : 0; }

    /** The default step size (epochs) of the step schedule and the default gamma of each schedule. */
    public static int defaultStepSize(int epochs) { return Math.max(1, epochs / 3); }

    public static double defaultGamma(String schedule) {
        return switch (scheduleName(schedule)) {
            case "step", "multistep" -> 0.1;
            case "exponential" -> 0.95;
            case "plateau" -> 0.5;
            default -> 0;
        };
    }

    public static void check(String what, String value, List<String> allowed) {
        if (!allowed.contains(value))
            throw new UserError("unknown " + what + " \"" + value + "\": choose " + String.join(", ", allowed));
    }

    /**
     * The objective of a loss for a task: class-index losses (cross_entropy, multi_margin, hinge)
     * need classes; element-wise losses (mse, l1, huber, bce) get one-hot targets for classes and
     * the labels themselves for regression.
     */
    public static Objective objective(String loss, int classes, double labelSmoothing) {
        check("loss", loss, LOSSES);
        boolean classification = classes > 0;
        if (labelSmoothing != 0 && !loss.equals("cross_entropy"))
            throw new UserError("--label-smoothing applies to the cross_entropy loss only, not " + loss);
        return switch (loss) {
            case "cross_entropy", "multi_margin", "hinge" -> {
                if (!classification)
                    throw new UserError("the " + loss + " loss needs class labels (whole numbers 0, 1, ...), but the labels are "
                        + "real-valued targets; use --loss mse, l1 or huber for regression");
                yield new Objective.ClassIndices(switch (loss) {
                    case "cross_entropy" -> new CrossEntropyLoss(Reduction.MEAN, labelSmoothing);
                    case "multi_margin" -> new MultiMarginLoss();
                    default -> new MultiClassHingeLoss();
                });
            }
            case "bce" -> {
                if (!classification) throw new UserError("the bce loss needs class labels 0, 1, ...; the labels are real-valued targets");
                yield new Objective.OneHot(new BCEWithLogitsLoss(), classes);
            }
            default -> {
                var fn = switch (loss) {
                    case "mse" -> new MSELoss();
                    case "l1" -> new L1Loss();
                    default -> new HuberLoss();
                };
                yield classification ? new Objective.OneHot(fn, classes) : new Objective.Targets(fn);
            }
        };
    }

    /** How many outputs the network needs: one per class, or one target. */
    public static int outputs(int classes) { return classes > 0 ? classes : 1; }

    /**
     * The network the settings describe for the data: an {@link Mlp} on its features, or a {@link Cnn}
     * whose image shape must account for every feature.
     */
    public static Architecture architecture(Settings s, PreparedData data) {
        int outputs = outputs(data.classes());
        if (!s.isCnn()) return new Mlp(data.features(), s.layers(), outputs, s.activation(), s.norm());
        List<Integer> shape = s.imageShape();
        long pixels = (long) shape.get(0) * shape.get(1) * shape.get(2);
        if (pixels != data.features())
            throw new UserError("--image-shape " + shape.get(0) + "," + shape.get(1) + "," + shape.get(2) + " is " + pixels + " values per image, but "
                + data.name() + " has " + data.features() + " feature column" + (data.features() == 1 ? "" : "s"));
        try {
            return new Cnn(shape.get(0), shape.get(1), shape.get(2), s.channels(), s.layers(), outputs, s.activation(), s.norm());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    public static Optimizer optimizer(Settings s, List<Tensor> params) {
        check("optimizer", s.optimizer(), OPTIMIZERS);
        return switch (s.optimizer()) {
            case "sgd" -> new SGD(params, SGD.Options.defaults(s.lr()).withMomentum(s.momentum()).withWeightDecay(s.weightDecay()));
            case "adam" -> new Adam(params, Adam.Options.defaults(s.lr()).withWeightDecay(s.weightDecay()));
            case "adamw" -> new AdamW(params, AdamW.Options.defaults(s.lr()).withWeightDecay(s.weightDecay()));
            case "rmsprop" -> new RMSprop(params, RMSprop.Options.defaults(s.lr()).withMomentum(s.momentum()).withWeightDecay(s.weightDecay()));
            default -> throw new AssertionError(s.optimizer());
        };
    }

    /** A schedule's name without its arguments: "multistep" for "multistep:30,60". */
    public static String scheduleName(String schedule) {
        int colon = schedule.indexOf(':');
        return colon < 0 ? schedule : schedule.substring(0, colon);
    }

    /**
     * Checks a --schedule value: one of {@link #SCHEDULES}, or multistep with its milestones
     * ("multistep:30,60": the epochs after which the rate is multiplied by --gamma).
     */
    public static void checkSchedule(String schedule) {
        if (scheduleName(schedule).equals("multistep")) { milestones(schedule); return; }
        if (schedule.contains(":"))
            throw new UserError("--schedule " + schedule + ": only multistep takes arguments (multistep:30,60)");
        if (!SCHEDULES.contains(schedule))
            throw new UserError("unknown schedule \"" + schedule + "\": choose none, step, multistep:M1,M2,..., cosine, exponential, "
                + "plateau, onecycle");
    }

    /** The milestones of "multistep:M1,M2,...": positive, increasing epoch counts. */
    static List<Integer> milestones(String schedule) {
        String usage = "--schedule " + schedule + ": multistep needs its milestones, increasing positive epoch counts after "
            + "which the rate is multiplied by --gamma, e.g. multistep:30,60";
        int colon = schedule.indexOf(':');
        if (colon < 0 || colon == schedule.length() - 1) throw new UserError(usage);
        List<Integer> out = new java.util.ArrayList<>();
        for (String part : schedule.substring(colon + 1).split(",", -1)) {
            int m;
            try {
                m = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new UserError(usage);
            }
            if (m < 1 || (!out.isEmpty() && m <= out.get(out.size() - 1))) throw new UserError(usage);
            out.add(m);
        }
        return out;
    }

    /**
     * The schedule (stepped once per epoch), or null for none. {@code onecycle} is PyTorch's 1cycle
     * with its defaults over the run's epochs: from lr/25 up to lr (the peak, --lr) over the first 30 %
     * of the epochs, then down to lr/250000 along a cosine; the momentum is not cycled.
     */
    public static LRScheduler schedule(Settings s, Optimizer opt) {
        checkSchedule(s.schedule());
        int after = s.epochs() - s.warmup();
        LRScheduler main = switch (scheduleName(s.schedule())) {
            case "multistep" -> new MultiStepLR(opt, milestones(s.schedule()), s.gamma());
            case "none" -> null;
            case "step" -> new StepLR(opt, s.stepSize(), s.gamma());
            case "cosine" -> new CosineAnnealingLR(opt, after, 0);
            case "exponential" -> new ExponentialLR(opt, s.gamma());
            case "plateau" -> new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, s.gamma(), Math.max(1, s.stepSize()), 1e-4, 0, 0);
            case "onecycle" -> new OneCycleLR(opt, s.lr(), s.epochs());
            default -> throw new AssertionError(s.schedule());
        };
        if (s.warmup() == 0) return main;
        // the warm-up, then the schedule from its own step 0 (PyTorch's SequentialLR); built last, it sets step 0's rate
        LinearWarmup warm = new LinearWarmup(opt, s.warmup(), WARMUP_START);
        if (main == null) return warm;
        if (!(main instanceof ClosedFormLR next)) throw new AssertionError(s.schedule() + " with --warmup");
        return warm.then(next);
    }

    /** The fraction of --lr that a warm-up starts from. */
    public static final double WARMUP_START = 0.1;
}
