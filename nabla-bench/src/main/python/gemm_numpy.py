"""The GEMM workload of the side-by-side run in NumPy (OpenBLAS): C = op(A) op(B), n x n.

A transposed operand is the stored matrix's .T (a view: OpenBLAS reads it with a transpose flag), and
the product goes into an existing C (np.matmul(..., out=C)). For each case: multiply for the warm-up
time, check four entries of C against float64 dot products, time each call for the measured time (at
least five calls), print the same RESULT line as the Java runners. Threads: OPENBLAS_NUM_THREADS /
OMP_NUM_THREADS, set by the caller before Python starts.
Arguments: --threads N --dtypes float32,float64 --sizes 256,512,1024 --trans NN,TN,NT,TT
           --seconds S --warmup-seconds W
"""
import argparse
import sys
import time

import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--dtypes", default="float32,float64")
    p.add_argument("--sizes", default="256,512,1024")
    p.add_argument("--trans", default="NN,TN,NT,TT")
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("--warmup-seconds", type=float, default=1.0)
    o = p.parse_args()
    for dtype in o.dtypes.split(","):
        for n in (int(s) for s in o.sizes.split(",")):
            for t in o.trans.split(","):
                rng = np.random.default_rng(n)
                a64 = rng.random((n, n)).astype(np.float32).astype(np.float64)
                b64 = rng.random((n, n)).astype(np.float32).astype(np.float64)
                a, b = a64.astype(dtype), b64.astype(dtype)
                opa = a.T if t[0] == "T" else a
                opb = b.T if t[1] == "T" else b
                c = np.empty((n, n), dtype=dtype)
                start, calls = time.perf_counter(), 0
                while calls < 3 or time.perf_counter() - start < o.warmup_seconds:
                    np.matmul(opa, opb, out=c)
                    calls += 1
                ra = a64.T if t[0] == "T" else a64
                rb = b64.T if t[1] == "T" else b64
                for i, j in ((0, 0), (n - 1, n - 1), (n // 3, 2 * n // 3), (n // 2, 1)):
                    terms = ra[i, :] * rb[:, j]
                    tol = (1e-12 if dtype == "float64" else 1e-4) * np.abs(terms).sum()
                    if not abs(float(c[i, j]) - terms.sum()) <= tol:
                        sys.exit(f"numpy {dtype} n={n} {t}: C[{i}][{j}] = {c[i, j]}, expected {terms.sum()}: not the same product")
                times = []
                start = time.perf_counter()
                while len(times) < 5 or time.perf_counter() - start < o.seconds:
                    t0 = time.perf_counter_ns()
                    np.matmul(opa, opb, out=c)
                    times.append(time.perf_counter_ns() - t0)
                times.sort()
                flop = 2.0 * n ** 3
                print(f"RESULT engine=numpy dtype={dtype} n={n} trans={t} threads={o.threads} "
                      f"gflops={flop / times[len(times) // 2]:.1f} best_gflops={flop / times[0]:.1f} calls={len(times)}", flush=True)
                print(f"numpy {dtype} n={n} {t} threads={o.threads}: {flop / times[len(times) // 2]:.1f} GFLOP/s "
                      f"(median of {len(times)} calls)", file=sys.stderr)


if __name__ == "__main__":
    main()
