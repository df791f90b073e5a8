package dev.nabla.bench.jmh;

import dev.nabla.kernels.GemmKernelBench;
import dev.nabla.parallel.Parallel;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The blocked products' rate as a fraction of their micro-kernel's in-cache rate, the two measured
 * in turn, round after round, in one JVM: {@code GemmReport -paired} (the {@code -bound} table measures
 * the kernel once, before all products, and a shared machine's slow periods then fall on some rows and
 * not on the kernel). Each round goes through all products of one thread count in turn, so that a slow
 * period of the host falls on every row alike rather than on the few products measured during it (in a
 * first version, which ran one product's rounds one after the other, the n = 512 NN two-thread row read
 * 73-76 % in three runs, its fastest call 77 % in two of them, while most other rows read 86-94 %; in
 * turn with the others, in the next run, 88 % and 92 % at its fastest). For
 * each product it runs the kernel block of {@link GemmKernelBench} (on as many threads
 * at once as the product uses, each thread on its own panels) for one measurement time with the k
 * steps per call that the product's own calls have ({@link GemmKernelBench#productKc}: 256 for a
 * float64 product with k = 256), again with the longest k block of any product ({@code KC}; skipped
 * where that is the product's), then the product of {@link GemmBench} for one measurement time,
 * timing every call. A round's ratio is the product's GFLOP/s at its median call ÷ (the kernel's
 * per-thread GFLOP/s at its median call × the threads). The table gives, per product, the median
 * of the rounds' ratios to the kernel at the product's kc and their range, and the median ratio to
 * the kernel at {@code KC}: a kernel call over fewer k steps spreads its fixed work (zeroing the
 * tile, adding it into C) over fewer multiply-adds, so the kernel at kc = 256 is a few per cent
 * slower than at 1024 and the second ratio is the stricter one. The last column compares like with
 * like at their fastest: the product's fastest call of all rounds against the kernel's fastest stretch
 * of as many consecutive block calls as last as long as a median product call (at the product's kc,
 * on each thread, averaged over the threads). A shared machine's slow periods make a stretch slower
 * but never faster, so this is the ratio least disturbed by other work; stretches of the same length
 * keep the kernel from being credited with a burst far shorter than a product call (a float64 block
 * call at n = 1024 is about a hundredth of a product call, and its single fastest call is an outlier).
 *
 * <p>Options are JMH's, parsed by JMH: {@code -p n=…}, {@code -p trans=…}, {@code -p threads=…},
 * {@code -p dtype=float64,float32} (default float64), {@code -i} rounds (default 10), {@code -r}
 * measurement time per phase (default 300 ms), {@code -w} warm-up time per product (default 2 s, in
 * four passes over the products). A thread count's rows are printed when its last round ends.
 * Everything runs in this JVM (no forks): run it with {@code --add-modules jdk.incubator.vector}, as
 * {@code nabla-bench/run-jmh} does.
 */
public final class GemmPairedReport {
    private GemmPairedReport() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (CommandLineOptionException | IllegalArgumentException e) {
            System.err.println("GemmReport -paired: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        List<String> sizes = param(cli, "n", "256", "512", "1024");
        List<String> transposes = param(cli, "trans", "NN", "TN", "NT", "TT");
        List<String> threadCounts = param(cli, "threads", "1", "2");
        List<String> dtypes = param(cli, "dtype", "float64");
        for (String d : dtypes)
            if (!d.equals("float32") && !d.equals("float64"))
                throw new IllegalArgumentException("-p dtype: float32 or float64, got " + d);
        for (String t : transposes)
            if (!t.matches("[NT][NT]")) throw new IllegalArgumentException("-p trans: NN, TN, NT or TT, got " + t);
        for (String x : sizes) positive("n", x);
        for (String x : threadCounts) positive("threads", x);
        int rounds = cli.getMeasurementIterations().orElse(10);
        long phaseNanos = nanos(cli.getMeasurementTime().orElse(TimeValue.milliseconds(300)));
        long warmNanos = nanos(cli.getWarmupTime().orElse(TimeValue.seconds(2)));
        if (rounds < 1) throw new IllegalArgumentException("-i: at least one round, got " + rounds);

        System.out.printf(Locale.ROOT, "%d rounds; in each, every product of a thread count in turn: %.0f ms kernel (at the product's kc, "
            + "and at KC where that differs), then %.0f ms product; GFLOP/s and ratios are medians of the rounds%n",
            rounds, phaseNanos / 1e6, phaseNanos / 1e6);
        System.out.println("| dtype | n | op | threads | product GFLOP/s | kc | kernel GFLOP/s per thread at that kc "
            + "| ÷ (kernel × threads) | lowest – highest round | kernel at kc = KC | ÷ (that × threads) | fastest ÷ fastest |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (String dtype : dtypes)
            for (String threadText : threadCounts) {
                int threads = Integer.parseInt(threadText);
                List<Product> products = new ArrayList<>();
                for (String n : sizes)
                    for (String trans : transposes) products.add(new Product(dtype, Integer.parseInt(n), trans, threads));
                // warm-up in turn too, so that the JIT has seen every product before the first round
                for (int pass = 0; pass < WARM_PASSES; pass++)
                    for (Product p : products) p.warm(warmNanos / WARM_PASSES);
                for (int round = 0; round < rounds; round++) {
                    System.err.printf(Locale.ROOT, "GemmReport -paired: %s, %d thread(s), round %d of %d%n", dtype, threads, round + 1, rounds);
                    for (Product p : products) p.round(phaseNanos);
                }
                for (Product p : products) {
                    Row r = p.row();
                    System.out.printf(Locale.ROOT, "| %s | %d | %s | %d | %.1f | %d | %.1f | %.0f %% | %.0f – %.0f %% | %.1f (kc = %d) | %.0f %% | %.0f %% |%n",
                        dtype.equals("float32") ? "f32" : "f64", p.n, p.trans, threads, r.product, r.kc, r.kernel,
                        100 * r.ratio, 100 * r.lowest, 100 * r.highest, r.kernelTop, r.kcTop, 100 * r.ratioTop, 100 * r.fastest);
                }
            }
    }

    /** Warm-up passes over all products of a thread count, each product warmed for its share of {@code -w} per pass. */
    private static final int WARM_PASSES = 4;

    /**
     * One product's results: its rate; the kernel's per-thread rate at the product's kc and the ratio to
     * it (median and range over the rounds); the kernel's rate at the default KC and the median ratio to
     * it; the product's fastest call ÷ the kernel's fastest stretch as long (see {@link #fastestRatio}).
     */
    private record Row(double product, int kc, double kernel, double ratio, double lowest, double highest,
                       int kcTop, double kernelTop, double ratioTop, double fastest) {}

    /** One product (size, transposes, threads) with its kernel benchmarks and what its rounds measured. */
    private static final class Product {
        final int n, threads, kc, kcTop;
        final String trans;
        final boolean f32;
        final GemmKernelBench[] atKc, atTop;
        final double flop, flopTop, productFlop;
        final Runnable callProduct;
        final List<Double> productRates = new ArrayList<>(), kernelRates = new ArrayList<>(), kernelRatesTop = new ArrayList<>();
        final List<List<Long>> kernelStretches = new ArrayList<>();   // each round's block calls on each thread, in order
        final List<Long> allProductCalls = new ArrayList<>();

        Product(String dtype, int n, String trans, int threads) {
            this.n = n;
            this.trans = trans;
            this.threads = threads;
            f32 = dtype.equals("float32");
            GemmBench product = new GemmBench();
            product.n = n;
            product.trans = trans;
            product.threads = threads;
            product.setup(); // sets the pool's size
            kc = GemmKernelBench.productKc(f32, n, n);
            kcTop = GemmKernelBench.defaultKc(f32);
            atKc = kernels(threads, kc);
            atTop = kc == kcTop ? atKc : kernels(threads, kcTop);
            String blockName = f32 ? "float32Block" : "float64Block";
            flop = GemmKernelBench.flopPerCall(blockName, kc) * GemmKernelBench.blockCalls();
            flopTop = GemmKernelBench.flopPerCall(blockName, kcTop) * GemmKernelBench.blockCalls();
            productFlop = 2.0 * n * n * n;
            callProduct = f32 ? product::float32 : product::float64;
        }

        /** The product and its kernels, in turn, for about {@code nanos} (compiled, caches and pool in their steady state). */
        void warm(long nanos) {
            long end = System.nanoTime() + nanos;
            do {
                callProduct.run();
                kernelPhase(atKc, f32, 1_000_000);
                if (atTop != atKc) kernelPhase(atTop, f32, 1_000_000);
            } while (System.nanoTime() < end);
        }

        /** One round: the kernel at the product's kc, at KC where that differs, then the product, each for {@code phaseNanos}. */
        void round(long phaseNanos) {
            List<List<Long>> kernelCalls = kernelPhase(atKc, f32, phaseNanos);
            kernelStretches.addAll(kernelCalls);
            double kernelRate = flop / medianNanos(flatten(kernelCalls));
            double kernelRateTop = atTop == atKc ? kernelRate : flopTop / medianNanos(flatten(kernelPhase(atTop, f32, phaseNanos)));
            List<Long> productCalls = timedCalls(callProduct, System.nanoTime() + phaseNanos);
            allProductCalls.addAll(productCalls);
            kernelRates.add(kernelRate);
            kernelRatesTop.add(kernelRateTop);
            productRates.add(productFlop / medianNanos(productCalls));
        }

        /** The rounds' product rate ÷ (that round's kernel rate in {@code kernel} × the threads), round by round. */
        private List<Double> ratiosTo(List<Double> kernel) {
            List<Double> r = new ArrayList<>();
            for (int i = 0; i < productRates.size(); i++) r.add(productRates.get(i) / (kernel.get(i) * threads));
            return r;
        }

        Row row() {
            List<Double> ratios = ratiosTo(kernelRates);
            return new Row(median(productRates), kc, median(kernelRates), median(ratios),
                Collections.min(ratios), Collections.max(ratios), kcTop, median(kernelRatesTop), median(ratiosTo(kernelRatesTop)),
                fastestRatio(kernelStretches, threads, flop, allProductCalls, productFlop));
        }
    }

    /**
     * The product's fastest call ÷ the kernel's fastest stretch of a median product call's length: for
     * each thread's calls of each round, the fewest nanoseconds of c consecutive block calls, where c
     * block calls (at the median block call) last as long as the median product call; the kernel's rate
     * is the mean over the threads of each one's fastest stretch, times the threads.
     */
    private static double fastestRatio(List<List<Long>> kernelStretches, int threads, double flopPerBlockCall,
                                       List<Long> productCalls, double productFlop) {
        double blockNanos = medianNanos(flatten(kernelStretches)), productNanos = medianNanos(productCalls);
        int c = (int) Math.max(1, Math.round(productNanos / blockNanos));
        double[] best = new double[threads];   // each thread's fastest stretch, GFLOP/s (threads' calls alternate in the list)
        for (int i = 0; i < kernelStretches.size(); i++) {
            List<Long> calls = kernelStretches.get(i);
            int window = Math.min(c, calls.size());
            long sum = 0, fewest = Long.MAX_VALUE;
            for (int j = 0; j < calls.size(); j++) {
                sum += calls.get(j);
                if (j >= window) sum -= calls.get(j - window);
                if (j >= window - 1) fewest = Math.min(fewest, sum);
            }
            best[i % threads] = Math.max(best[i % threads], window * flopPerBlockCall / fewest);
        }
        double kernelRate = Arrays.stream(best).average().orElseThrow() * threads;
        return productFlop / Collections.min(productCalls) / kernelRate;
    }

    private static List<Long> flatten(List<List<Long>> lists) {
        List<Long> all = new ArrayList<>();
        for (List<Long> l : lists) all.addAll(l);
        return all;
    }

    /** One kernel benchmark per thread, each with its own panels, calling the kernel over kc steps. */
    private static GemmKernelBench[] kernels(int threads, int kc) {
        GemmKernelBench[] kernels = new GemmKernelBench[threads];
        for (int t = 0; t < threads; t++) {
            kernels[t] = new GemmKernelBench();
            kernels[t].kc = kc;
            kernels[t].setup();
        }
        return kernels;
    }

    /**
     * Runs the kernel block on every thread of the pool at once, each on its own panels, for about
     * {@code nanos}; returns each thread's block calls in order, in nanoseconds, one list per thread.
     */
    private static List<List<Long>> kernelPhase(GemmKernelBench[] kernels, boolean f32, long nanos) {
        @SuppressWarnings("unchecked")
        List<Long>[] perThread = new List[kernels.length];
        long end = System.nanoTime() + nanos;
        Parallel.forEach(kernels.length, t -> {
            GemmKernelBench k = kernels[t];
            perThread[t] = timedCalls(f32 ? k::float32Block : k::float64Block, end);
        });
        return Arrays.asList(perThread);
    }

    /** Calls {@code call} until {@code end} (System.nanoTime), at least once; each call's nanoseconds. */
    private static List<Long> timedCalls(Runnable call, long end) {
        List<Long> calls = new ArrayList<>();
        do {
            long t0 = System.nanoTime();
            call.run();
            calls.add(System.nanoTime() - t0);
        } while (System.nanoTime() < end);
        return calls;
    }

    private static double medianNanos(List<Long> calls) {
        return median(calls.stream().map(Long::doubleValue).toList());
    }

    private static double median(List<Double> x) {
        List<Double> v = new ArrayList<>(x);
        Collections.sort(v);
        return v.get(v.size() / 2);
    }

    private static void positive(String name, String value) {
        int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-p " + name + ": a whole number, got " + value);
        }
        if (v < 1) throw new IllegalArgumentException("-p " + name + ": at least 1, got " + value);
    }

    private static long nanos(TimeValue t) { return t.convertTo(TimeUnit.NANOSECONDS); }

    private static List<String> param(CommandLineOptions cli, String name, String... defaults) {
        Collection<String> given = cli.getParameter(name).orElse(null);
        return given == null || given.isEmpty() ? List.of(defaults) : new ArrayList<>(given);
    }
}
