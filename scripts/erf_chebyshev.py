#!/usr/bin/env python3
"""Prints the Chebyshev coefficients that dev.nabla.kernels.Erf uses, computed with mpmath.

Each piece is a function that is smooth on its interval, expanded in Chebyshev polynomials T_n of
s in [-1, 1] (s an affine map of the piece's variable):
  SMALL : erf(x)/x as a function of u = x^2, for |x| <= 1 (u in [0, 1], s = 2u - 1); printed as
          the same polynomial in powers of u (Horner's rule in u rounds less there than Clenshaw's)
  MID   : e^(a^2) erfc(a), for a in [1, 2] (s = 2a - 3)
  TAIL  : a e^(a^2) erfc(a) as a function of t = 1/a, for a in [2, 6] (t in [1/6, 1/2], s = 6t - 2)
The coefficients are those of Chebyshev interpolation at K Chebyshev-Gauss nodes, evaluated in
60-digit arithmetic; with K well above the degree they equal the truncated Chebyshev series to far
below double precision, and the series is truncated where the dropped terms sum to less than 4e-18
of the piece's smallest value. Run: python3 scripts/erf_chebyshev.py
"""
import mpmath as mp

mp.mp.dps = 60


def chebyshev(f, lo, hi, nodes=80):
    xs = [mp.cos(mp.pi * (k + mp.mpf(1) / 2) / nodes) for k in range(nodes)]
    fs = [f((hi - lo) / 2 * s + (hi + lo) / 2) for s in xs]
    c = [2 * mp.fsum(fs[k] * mp.cos(n * mp.pi * (k + mp.mpf(1) / 2) / nodes) for k in range(nodes)) / nodes
         for n in range(nodes)]
    c[0] /= 2
    return c


def truncate(c, smallest, tol=mp.mpf('4e-18')):
    for d in range(len(c)):
        if mp.fsum(abs(x) for x in c[d + 1:]) < tol * smallest:
            return c[:d + 1]
    raise ValueError('no truncation reaches the tolerance')


def powers_of_u(c):
    """The coefficients, in powers of u, of sum c_k T_k(2u - 1)."""
    t = [[mp.mpf(1)], [mp.mpf(-1), mp.mpf(2)]]   # T_k(2u - 1) in powers of u
    for k in range(2, len(c)):
        nxt = [mp.mpf(0)] * (k + 1)
        for i, v in enumerate(t[k - 1]):          # 2 (2u - 1) T_(k-1)
            nxt[i] -= 2 * v
            nxt[i + 1] += 4 * v
        for i, v in enumerate(t[k - 2]):          # - T_(k-2)
            nxt[i] -= v
        t.append(nxt)
    p = [mp.mpf(0)] * len(c)
    for k in range(len(c)):
        for i, v in enumerate(t[k]):
            p[i] += c[k] * v
    return p


def small(u):
    return 2 / mp.sqrt(mp.pi) if u == 0 else mp.erf(mp.sqrt(u)) / mp.sqrt(u)


def mid(a):
    return mp.erfc(a) * mp.exp(a * a)


def tail(t):
    a = 1 / t
    return a * mp.erfc(a) * mp.exp(a * a)


def main():
    pieces = [('SMALL', small, mp.mpf(0), mp.mpf(1), small(1)),
              ('MID', mid, mp.mpf(1), mp.mpf(2), mid(2)),
              ('TAIL', tail, 1 / mp.mpf(6), 1 / mp.mpf(2), tail(mp.mpf(1) / 2))]
    for name, f, lo, hi, smallest in pieces:
        c = truncate(chebyshev(f, lo, hi), smallest)
        if name == 'SMALL':
            c = powers_of_u(c)
        print('    private static final double[] %s = {' % name)
        for i in range(0, len(c), 3):
            print('        ' + ', '.join(repr(float(x)) for x in c[i:i + 3]) + ',')
        print('    };')


if __name__ == '__main__':
    main()
