package dev.nabla.cli.train;

import dev.nabla.array.DType;
import dev.nabla.array.NdArray;
import dev.nabla.autograd.Tensor;
import dev.nabla.nn.Module;
import dev.nabla.train.EpochMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The pictures of a run, as PNG bytes: loss and accuracy per epoch (training and validation), and
 * for two input features the decision regions of the trained network with the data drawn over
 * them. Rendering is headless (no display needed).
 */
public final class Plots {
    private Plots() {}

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** The tab10 palette, one colour per class (repeating after ten). */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    /** Training and validation loss per epoch (log scale when every value is positive). */
    public static byte[] loss(List<EpochMetrics> epochs, String title) throws IOException {
        double[] x = epochs.stream().mapToDouble(EpochMetrics::epoch).toArray();
        double[] train = epochs.stream().mapToDouble(EpochMetrics::trainLoss).toArray();
        double[] val = epochs.stream().mapToDouble(EpochMetrics::valLoss).toArray();
        XYChart chart = chart(title, "loss");
        boolean positive = true;
        for (double v : train) positive &= v > 0;
        if (!Double.isNaN(val[0])) for (double v : val) positive &= v > 0;
        chart.getStyler().setYAxisLogarithmic(positive);
        series(chart, "training", x, train, PALETTE[0]);
        if (!Double.isNaN(val[0])) series(chart, "validation", x, val, PALETTE[1]);
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** Training and validation accuracy (in %) per epoch. */
    public static byte[] accuracy(List<EpochMetrics> epochs, String title) throws IOException {
        double[] x = epochs.stream().mapToDouble(EpochMetrics::epoch).toArray();
        double[] train = epochs.stream().mapToDouble(m -> 100 * m.trainAccuracy()).toArray();
        double[] val = epochs.stream().mapToDouble(m -> 100 * m.valAccuracy()).toArray();
        XYChart chart = chart(title, "accuracy (%)");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        series(chart, "training", x, train, PALETTE[0]);
        if (!Double.isNaN(val[0])) series(chart, "validation", x, val, PALETTE[1]);
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(800).height(480).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        Styler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(Color.GRAY);
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setAntiAlias(true);
        chart.getStyler().setDecimalPattern("#0.###");
        return chart;
    }

    private static void series(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(x.length <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setLineWidth(2f);
    }

    /**
     * The decision regions of a classifier with two inputs: each pixel coloured by the class
     * probabilities (softmax of the outputs) mixed over the class colours, the points drawn in their
     * class colour on top.
     *
     * @param features points [N, 2], in the network's input space
     * @param labels   their classes [N]
     */
    public static byte[] decisionBoundary(Module model, int classes, NdArray features, NdArray labels, String title,
                                          String xName, String yName) throws IOException {
        int plot = 560, margin = 40, top = 44, grid = 280;
        float[] p = features.contiguous().toFloatArray();
        float[] y = labels.toFloatArray();
        int n = y.length;
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = x0, y1 = x1;
        for (int i = 0; i < n; i++) {
            x0 = Math.min(x0, p[2 * i]); x1 = Math.max(x1, p[2 * i]);
            y0 = Math.min(y0, p[2 * i + 1]); y1 = Math.max(y1, p[2 * i + 1]);
        }
        double span = Math.max(x1 - x0, y1 - y0), cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
        if (!(span > 0)) span = 1;
        double half = span * 0.55;
        double lox = cx - half, loy = cy - half, step = 2 * half / grid;

        float[] gridPts = new float[grid * grid * 2];
        for (int r = 0; r < grid; r++)
            for (int c = 0; c < grid; c++) {
                gridPts[2 * (r * grid + c)] = (float) (lox + (c + 0.5) * step);
                gridPts[2 * (r * grid + c) + 1] = (float) (loy + (grid - r - 0.5) * step);
            }
        float[] pr = probabilities(model, classes, gridPts, grid * grid);

        BufferedImage img = new BufferedImage(plot + 2 * margin, plot + top + margin, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        BufferedImage regions = new BufferedImage(grid, grid, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < grid; r++)
            for (int c = 0; c < grid; c++) {
                double red = 0, green = 0, blue = 0;
                int base = (r * grid + c) * classes;
                for (int k = 0; k < classes; k++) {
                    Color light = light(PALETTE[k % PALETTE.length]);
                    double w = pr[base + k];
                    red += w * light.getRed(); green += w * light.getGreen(); blue += w * light.getBlue();
                }
                regions.setRGB(c, r, new Color(clamp(red), clamp(green), clamp(blue)).getRGB());
            }
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(regions, margin, top, plot, plot, null);
        double scale = plot / (2 * half);
        g.setStroke(new BasicStroke(0.6f));
        for (int i = 0; i < n; i++) {
            double px = margin + (p[2 * i] - lox) * scale, py = top + plot - (p[2 * i + 1] - loy) * scale;
            Color col = PALETTE[((int) y[i]) % PALETTE.length];
            g.setColor(col);
            g.fill(new java.awt.geom.Ellipse2D.Double(px - 3, py - 3, 6, 6));
            g.setColor(Color.WHITE);
            g.draw(new java.awt.geom.Ellipse2D.Double(px - 3, py - 3, 6, 6));
        }
        g.setColor(Color.GRAY);
        g.drawRect(margin, top, plot, plot);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, margin, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(String.format(Locale.ROOT, "%s: %.2f to %.2f", xName, lox, lox + 2 * half), margin, top + plot + 18);
        String yl = String.format(Locale.ROOT, "%s: %.2f to %.2f", yName, loy, loy + 2 * half);
        g.drawString(yl, margin + plot - g.getFontMetrics().stringWidth(yl), top + plot + 18);
        for (int k = 0; k < classes && k < 10; k++) {
            int lx = margin + plot - 80 * (Math.min(classes, 10) - k), ly = 28;
            g.setColor(PALETTE[k]);
            g.fillOval(lx, ly - 9, 10, 10);
            g.setColor(Color.DARK_GRAY);
            g.drawString("class " + k, lx + 14, ly);
        }
        g.dispose();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bos);
        return bos.toByteArray();
    }

    /** Grid points evaluated per forward pass: keeps each hidden activation at CHUNK × width values. */
    static final int CHUNK = 4096;

    /**
     * softmax(model(points)) for points [n, 2] (flattened in xy), as [n, classes] row-major, in
     * evaluation mode and without a graph, {@link #CHUNK} points at a time (each row depends on its
     * own point only, so chunking changes nothing but the memory held at once).
     */
    static float[] probabilities(Module model, int classes, float[] xy, int n) {
        float[] pr = new float[n * classes];
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var ignored = Tensor.noGrad()) {
            for (int start = 0; start < n; start += CHUNK) {
                int len = Math.min(CHUNK, n - start);
                NdArray pts = NdArray.of(Arrays.copyOfRange(xy, 2 * start, 2 * (start + len)), len, 2);
                NdArray probs = model.forward(Tensor.of(pts)).data().softmax(1).to(DType.FLOAT32).contiguous();
                System.arraycopy(probs.floatData(), probs.offset(), pr, start * classes, len * classes);
            }
        } finally {
            model.train(wasTraining);
        }
        return pr;
    }

    private static Color light(Color c) {
        return new Color((c.getRed() + 2 * 255) / 3, (c.getGreen() + 2 * 255) / 3, (c.getBlue() + 2 * 255) / 3);
    }

    private static int clamp(double v) { return (int) Math.max(0, Math.min(255, Math.round(v))); }
}
