"""The MLP workload of the side-by-side run in NumPy (OpenBLAS), with backpropagation written by hand.

784-256-256-10, ReLU, softmax cross-entropy (mean over the batch), plain SGD lr 0.1, batch 128,
float32, shuffled every epoch, last partial batch dropped. Prints the same RESULT line as the Java
runners. Threads: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS, set by the caller before Python starts.
Arguments: --threads N --epochs E --warmup W --warmup-seconds T --batch B --lr LR --seed S --data DIR
"""
import argparse
import gzip
import os
import sys
import time

import numpy as np


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(folder, name):
    for n in (name, name + ".gz", name.replace("-idx", ".idx"), name.replace("-idx", ".idx") + ".gz"):
        p = os.path.join(folder, n)
        if os.path.isfile(p):
            return p
    return None


def load(folder):
    for prefix in ("train", "t10k"):
        images, labels = find(folder, prefix + "-images-idx3-ubyte"), find(folder, prefix + "-labels-idx1-ubyte")
        if images and labels:
            x = read_idx(images).reshape(-1, 784).astype(np.float32) / np.float32(255)
            return x, read_idx(labels).astype(np.int64)
    sys.exit("mlp_numpy: no MNIST files in " + folder)


def peak_rss_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["mlp"], default="mlp")  # the side-by-side run names it; NumPy has only the MLP
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--warmup-seconds", type=float, default=0.0)  # and at least this long, as MlpRun
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", default=None)
    a = ap.parse_args()
    folder = a.data or os.environ.get("NABLA_MNIST_DIR") or "../shared/data/mnist"
    x, y = load(folder)
    rng = np.random.default_rng(a.seed)
    f32 = np.float32

    def init(fan_in, fan_out):
        bound = 1 / np.sqrt(fan_in)
        return (rng.uniform(-bound, bound, (fan_in, fan_out)).astype(f32),
                rng.uniform(-bound, bound, fan_out).astype(f32))

    w1, b1 = init(784, 256)
    w2, b2 = init(256, 256)
    w3, b3 = init(256, 10)
    lr = f32(a.lr)
    n, bs = len(y), a.batch
    steps = n // bs
    eye = np.eye(10, dtype=f32)
    rates = []
    start = time.perf_counter()
    warmup = 0 if a.warmup == 0 and a.warmup_seconds <= 0 else None  # the warm-up's epochs, once it has ended
    epoch = -1
    while warmup is None or epoch + 1 < warmup + a.epochs:
        epoch += 1
        perm = rng.permutation(n)
        loss_sum = 0.0
        t0 = time.perf_counter()
        for s in range(steps):
            idx = perm[s * bs:(s + 1) * bs]
            xb, yb = x[idx], y[idx]
            h1 = xb @ w1 + b1
            a1 = np.maximum(h1, 0)
            h2 = a1 @ w2 + b2
            a2 = np.maximum(h2, 0)
            z = a2 @ w3 + b3
            z = z - z.max(axis=1, keepdims=True)
            e = np.exp(z)
            p = e / e.sum(axis=1, keepdims=True)
            loss_sum += float(-np.log(p[np.arange(bs), yb] + f32(1e-30)).mean())
            g3 = (p - eye[yb]) / f32(bs)
            gw3, gb3 = a2.T @ g3, g3.sum(axis=0)
            g2 = (g3 @ w3.T) * (h2 > 0)
            gw2, gb2 = a1.T @ g2, g2.sum(axis=0)
            g1 = (g2 @ w2.T) * (h1 > 0)
            gw1, gb1 = xb.T @ g1, g1.sum(axis=0)
            w3 -= lr * gw3; b3 -= lr * gb3
            w2 -= lr * gw2; b2 -= lr * gb2
            w1 -= lr * gw1; b1 -= lr * gb1
        t = time.perf_counter() - t0
        rate = steps * bs / t
        warming = warmup is None
        warm = " (warm-up)" if warming else ""
        print(f"numpy threads={a.threads} epoch {epoch}{warm}: {rate:.0f} samples/s, mean loss {loss_sum / steps:.4f}",
              file=sys.stderr)
        if not warming:
            rates.append(rate)
        elif epoch + 1 >= a.warmup and time.perf_counter() - start >= a.warmup_seconds:
            warmup = epoch + 1
    print(f"RESULT engine=numpy model={a.model} threads={a.threads} samples_per_s={np.median(rates):.0f} "
          f"loss={loss_sum / steps:.4f} peak_rss_mb={peak_rss_mb():.1f}")


if __name__ == "__main__":
    main()
