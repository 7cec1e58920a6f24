"""Bounds of the numbers the explainer works with, in the core so every layer agrees.

The core accepts any finite float64; these are the ranges the app offers and a link may carry:
wide enough to saturate every gate (σ(20) = 1 - 2e-9), small enough that no product of a
weight and a value overflows or drowns the others.
"""

MAX_SIZE = 64  # the core accepts D and H up to this; the app offers smaller sizes
MAX_BATCH = 1024  # rows of a batch of steps (x (B, D), h (B, H), c (B, H)): training, sweeps
VALUE_LIMIT = 10.0  # |x(t)|, |h(t-1)|, |c(t-1)|, and every value of an input sequence
WEIGHT_LIMIT = 20.0  # |W_x|, |W_h|, |b|, |peephole weights|, |forget_bias|
