package dev.nabla.array;

/**
 * Walks an n-d index space over several operands with their own strides and offsets, handing the
 * innermost run to a kernel. Adjacent dimensions that every operand can step over as one are merged
 * first, so contiguous and broadcast-along-rows operands collapse to one or two long runs.
 */
final class StridedLoop {
    private StridedLoop() {}

    /** Receives one run: per-operand offsets, per-operand inner strides, and the run length. */
    interface Run {
        void run(int[] offsets, int[] innerStrides, int n);
    }

    static void forEach(int[] shape, int[][] strides, int[] offsets, Run body) {
        int k = strides.length;
        int rank = shape.length;
        for (int s : shape) if (s == 0) return;
        // merge dims
        int[] ms = new int[Math.max(rank, 1)];
        int[][] mst = new int[k][Math.max(rank, 1)];
        int m = 0;
        if (rank == 0) {
            ms[0] = 1;
            for (int o = 0; o < k; o++) mst[o][0] = 1;
            m = 1;
        } else {
            for (int d = 0; d < rank; d++) {
                if (shape[d] == 1) continue;
                if (m > 0) {
                    boolean mergeable = true;
                    for (int o = 0; o < k; o++)
                        if (mst[o][m - 1] != strides[o][d] * shape[d]) { mergeable = false; break; }
                    if (mergeable) {
                        ms[m - 1] *= shape[d];
                        for (int o = 0; o < k; o++) mst[o][m - 1] = strides[o][d];
                        continue;
                    }
                }
                ms[m] = shape[d];
                for (int o = 0; o < k; o++) mst[o][m] = strides[o][d];
                m++;
            }
            if (m == 0) { ms[0] = 1; for (int o = 0; o < k; o++) mst[o][0] = 1; m = 1; }
        }
        int n = ms[m - 1];
        int[] inner = new int[k];
        for (int o = 0; o < k; o++) inner[o] = mst[o][m - 1];
        int[] offs = offsets.clone();
        if (m == 1) { body.run(offs, inner, n); return; }
        int[] idx = new int[m - 1];
        while (true) {
            body.run(offs, inner, n);
            int d = m - 2;
            while (d >= 0) {
                idx[d]++;
                for (int o = 0; o < k; o++) offs[o] += mst[o][d];
                if (idx[d] < ms[d]) break;
                for (int o = 0; o < k; o++) offs[o] -= mst[o][d] * ms[d];
                idx[d] = 0;
                d--;
            }
            if (d < 0) return;
        }
    }
}
