package dev.nabla.cli.train;

import dev.nabla.train.Callback;
import dev.nabla.train.EpochMetrics;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows a run's progress. On a terminal: a bar redrawn in place (epoch, batch, loss, samples per
 * second, time left) and one line per finished epoch. Otherwise (a pipe, a file, CI): only the
 * line per epoch, so that logs stay readable.
 */
public final class ProgressPrinter implements Callback {
    private static final long REDRAW_NANOS = 100_000_000L;   // at most 10 redraws a second
    private static final int BAR = 24;

    private final PrintWriter out;
    private final boolean bar;
    private int epochs, batchesPerEpoch, width;
    private long runStart, lastDraw, batchesDone;
    private boolean barShown;

    /** @param bar true to draw the in-place bar (a terminal), false for plain lines */
    public ProgressPrinter(PrintWriter out, boolean bar) {
        this.out = out;
        this.bar = bar;
    }

    /** True when standard output is an interactive terminal. */
    public static boolean stdoutIsTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    @Override
    public void onTrainBegin(int firstEpoch, int epochs, int batchesPerEpoch) {
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.width = String.valueOf(epochs).length();
        this.runStart = System.nanoTime();
        this.batchesDone = 0;
    }

    @Override
    public void onBatchEnd(BatchEnd b) {
        batchesDone++;
        if (!bar) return;
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && b.batch() != b.batches()) return;
        lastDraw = now;
        int filled = (int) ((long) BAR * b.batch() / b.batches());
        double perSecond = b.elapsedNanos() > 0 ? b.samples() / (b.elapsedNanos() / 1e9) : 0;
        long remainingBatches = (long) (b.batches() - b.batch()) + (long) (epochs - b.epoch()) * batchesPerEpoch;
        double nanosPerBatch = (double) (now - runStart) / batchesDone;
        String line = String.format(Locale.ROOT, "epoch %" + width + "d/%d [%s%s] %d/%d  loss %.4f  %,.0f samples/s  ETA %s",
            b.epoch(), b.epochs(), "#".repeat(filled), "-".repeat(BAR - filled), b.batch(), b.batches(), b.meanLoss(), perSecond,
            duration(remainingBatches * nanosPerBatch / 1e9));
        out.print("\r" + line + "\u001b[K");
        out.flush();
        barShown = true;
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        if (barShown) out.print("\r\u001b[K");
        barShown = false;
        out.println(line(m, epochs, width));
        out.flush();
    }

    /** One epoch as a line: losses, accuracies (when they apply), learning rate, time. */
    public static String line(EpochMetrics m, int epochs, int width) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %" + width + "d/%d  loss %.4f", m.epoch(), epochs, m.trainLoss()));
        if (!Double.isNaN(m.trainAccuracy())) sb.append(String.format(Locale.ROOT, "  acc %6.2f%%", 100 * m.trainAccuracy()));
        if (m.hasValidation()) {
            sb.append(String.format(Locale.ROOT, "  val_loss %.4f", m.valLoss()));
            if (!Double.isNaN(m.valAccuracy())) sb.append(String.format(Locale.ROOT, "  val_acc %6.2f%%", 100 * m.valAccuracy()));
        }
        sb.append(String.format(Locale.ROOT, "  lr %.3g  %.2fs", m.lr(), m.seconds()));
        return sb.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
