"""2-D convolution kernels (cross-correlation, as in PyTorch) by im2col + GEMM.

`im2col` copies image patches into columns and numpy's BLAS multiplies them by the weights, one
GEMM per image; `col2im` adds columns back onto the input gradient. Both are Numba kernels
(conv_numba.py), or numpy ones with the same results where Numba cannot be imported
(conv_numpy.py, see backend.py); both apply the zero padding themselves. The batch is split
across threads (`split_batch`): each slice copies its own columns and runs its own GEMMs, and
both release the GIL. The forward's columns can be handed to the weight gradient, which then
skips a second im2col; the bias is added slice by slice, while the outputs are in cache.

At stride 1 with enough taps, the same GEMMs run in the rows layout instead (see
`conv2d_uses_rows`): contiguous patch copies, one GEMM per group of images, no columns kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import numpy as np

from autograd.kernels.backend import has_numba
from autograd.kernels.threads import split_batch

GEMM_MACS_PER_NS = 20  # a core's multiply-adds per nanosecond in these GEMMs (split_batch's cost)

if has_numba():
    from autograd.kernels.conv_numba import (
        col2im,
        col2im_rows,
        crop_rows,
        im2col,
        im2col_rows,
        widen_rows,
    )
else:  # plain functions where mypy sees Numba dispatchers: the same signatures, called alike
    from autograd.kernels.conv_numpy import (  # type: ignore[assignment]
        col2im,
        col2im_rows,
        crop_rows,
        im2col,
        im2col_rows,
        widen_rows,
    )

# The rows layout's working set per group of images (patches + outputs). A group costs a few
# Python-level calls (its GEMM among them), and small groups made the two threads of a split
# batch queue for the GIL; big ones let the patches leave the caches before the GEMM reads
# them. Forward + backward on a quiet machine, ms, 1 / 2 threads, groups of 1, 4, 16 MiB:
# x(64,8,14,14) w(16,8,3,3) p1 2.55 2.57 2.73 / 1.95 1.90 2.10; x(32,3,32,32) w(32,3,5,5)
# 8.7 10.2 15.2 / 6.5 5.9 7.3 (whole-batch layout: 4.29 / 2.49 and 13.3 / 6.2). 256 KiB
# groups took 3.3 ms on two threads for the first.
GROUP_BYTES = 2 * 2**20
# The fewest taps per output value (C*KH*KW) for which the rows layout pays. Measured, forward +
# backward, ms on 1 / 2 threads, rows against whole-batch: 72 taps (x(64,8,14,14) w(16,8,3,3))
# 2.6 / 1.9 against 4.3 / 2.5; 75 taps (x(32,3,32,32) w(32,3,5,5)) 10.2 / 5.9 against 13.3 /
# 6.2; 27 taps 8.1 / 5.3 against 9.4 / 5.2; 9 taps (LeNet's first layer) 1.2 / 1.5 against
# 1.15 / 1.2: there the patch matrix is small, and keeping it spares the backward a copy.
ROWS_MIN_TAPS = 16


def _geometry(x_shape, w_shape, stride, padding):
    """Plain ints (one compiled signature per dtype): KH, KW, sh, sw, ph, pw and the output
    size OH, OW = floor((n + 2p - f) / s) + 1 on each axis."""
    KH, KW = int(w_shape[2]), int(w_shape[3])
    sh, sw, ph, pw = int(stride[0]), int(stride[1]), int(padding[0]), int(padding[1])
    OH = (x_shape[2] + 2 * ph - KH) // sh + 1
    OW = (x_shape[3] + 2 * pw - KW) // sw + 1
    return KH, KW, sh, sw, ph, pw, OH, OW


def conv2d_forward(
    x: np.ndarray,
    w: np.ndarray,
    stride: tuple[int, int],
    padding: tuple[int, int],
    cols: np.ndarray | None = None,
    bias: np.ndarray | None = None,
) -> np.ndarray:
    r"""Cross-correlate a batch of images with a filter bank, plus a bias per filter if given.

    $y_{n,f,i,j} = \sum_{c,k,l} w_{f,c,k,l}\, x_{n,c,\, i s_h + k - p_h,\, j s_w + l - p_w}$,
    zero outside the image. Computed as ``w.reshape(F, C*KH*KW) @ im2col(x)``, one BLAS GEMM
    per image, the batch split across threads.

    Args:
        x: (N, C, H, W), C-contiguous float32 or float64.
        w: (F, C, KH, KW), same dtype.
        stride: (sh, sw), positive ints.
        padding: (ph, pw), non-negative ints.
        cols: an empty C-contiguous (N, C*KH*KW, OH*OW) array of x's dtype to keep the patch
            matrix in, for `conv2d_backward` to reuse; by default it is temporary.
        bias: (F,) of x's dtype, added to each filter's outputs while they are still in
            cache, slice by slice (no second pass over the whole result).

    Returns:
        y: (N, F, OH, OW) of x's dtype, OH = (H + 2 ph - KH)//sh + 1, OW likewise.

    Example (the lecture's padding example):
        >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
        >>> w = np.array([[[[0.0, 1.0], [2.0, 3.0]]]])
        >>> conv2d_forward(x, w, (1, 1), (1, 1))[0, 0].astype(int).tolist()
        [[0, 3, 8, 4], [9, 19, 25, 10], [21, 37, 43, 16], [6, 7, 8, 0]]
    """
    if cols is None and conv2d_uses_rows(w.shape, stride):
        return _forward_rows(x, w, padding, bias)
    N = x.shape[0]
    F, C = w.shape[0], w.shape[1]
    KH, KW, sh, sw, ph, pw, OH, OW = _geometry(x.shape, w.shape, stride, padding)
    w2 = w.reshape(F, C * KH * KW)
    y = np.empty((N, F, OH * OW), dtype=x.dtype)

    def work(start: int, stop: int) -> None:
        if cols is None:
            part = np.empty((stop - start, C * KH * KW, OH * OW), dtype=x.dtype)
        else:
            part = cols[start:stop]
        im2col(x[start:stop], KH, KW, sh, sw, ph, pw, part)
        out = y[start:stop]
        np.matmul(w2, part, out=out)
        if bias is not None:
            out += bias.reshape(F, 1)

    split_batch(N, work, x.dtype, cost=N * F * C * KH * KW * OH * OW // GEMM_MACS_PER_NS)
    return y.reshape(N, F, OH, OW)


def conv2d_backward(
    grad_out: np.ndarray,
    x: np.ndarray,
    w: np.ndarray,
    stride: tuple[int, int],
    padding: tuple[int, int],
    needs: tuple[bool, bool] = (True, True),
    cols: np.ndarray | None = None,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    r"""Gradients of `conv2d_forward` with respect to x and w, in one pass over the batch.

    $\partial L/\partial x_{n,c,h,w} = \sum_{f,k,l} w_{f,c,k,l}\, g_{n,f,i,j}$ over the outputs
    (i, j) whose window puts tap (k, l) on pixel (h, w): ``col2im(w2.T @ g)``.
    $\partial L/\partial w_{f,c,k,l} = \sum_{n,i,j} g_{n,f,i,j}\, x_{n,c,\, i s_h + k - p_h,\,
    j s_w + l - p_w}$: $\sum_n$ ``g[n] @ im2col(x)[n].T``. Each thread takes a slice of the
    batch; its weight-gradient sums are added in slice order, so results do not depend on
    timing.

    Args:
        grad_out: (N, F, OH, OW), C-contiguous, the upstream gradient.
        x: (N, C, H, W), the forward input.
        w: (F, C, KH, KW), the forward weights.
        stride: (sh, sw) of the forward call.
        padding: (ph, pw) of the forward call.
        needs: which of (grad_x, grad_w) to compute; the other comes back as None.
        cols: the patch matrix `conv2d_forward` kept, if any (saves a second im2col).

    Returns:
        (grad_x, grad_w): (N, C, H, W) and (F, C, KH, KW) of grad_out's dtype, or None.

    Example:
        >>> x, ones = np.arange(9.0).reshape(1, 1, 3, 3), np.ones((1, 1, 2, 2))
        >>> gx, gw = conv2d_backward(ones, x, ones, (1, 1), (0, 0))
        >>> gx[0, 0].tolist(), gw[0, 0].tolist()
        ([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]], [[8.0, 12.0], [20.0, 24.0]])
    """
    rows = cols is None and conv2d_uses_rows(w.shape, stride)
    # Inf or NaN weights would spread NaN into grad_x through the extra columns (inf * 0).
    if rows and (not needs[0] or np.isfinite(w).all()):
        grad_x, grad_w = _backward_rows(grad_out, x, w, padding, needs)
        if grad_w is None or not np.isnan(grad_w).any():
            return grad_x, grad_w
        # An inf or NaN of x may have met an extra column's zero gradient (inf * 0 = NaN):
        # the exact layout says which NaNs are true. Finite x and grad_out never come here.
        return grad_x, _backward_exact(grad_out, x, w, stride, padding, (False, True), None)[1]
    return _backward_exact(grad_out, x, w, stride, padding, needs, cols)


def _backward_exact(
    grad_out: np.ndarray,
    x: np.ndarray,
    w: np.ndarray,
    stride: tuple[int, int],
    padding: tuple[int, int],
    needs: tuple[bool, bool],
    cols: np.ndarray | None,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """`conv2d_backward` in the im2col layout (any stride; the patch matrix kept or not)."""
    F = grad_out.shape[1]
    N, C, H, W = x.shape
    KH, KW, sh, sw, ph, pw, OH, OW = _geometry(x.shape, w.shape, stride, padding)
    CK, dtype = C * KH * KW, grad_out.dtype
    w2t = w.reshape(F, CK).T
    g = grad_out.reshape(N, F, OH * OW)
    grad_x = np.empty((N, C, H, W), dtype=dtype) if needs[0] else None  # col2im fills it
    sums: dict[int, np.ndarray] = {}

    def work(start: int, stop: int) -> None:
        if grad_x is not None:
            dcols = np.matmul(w2t, g[start:stop])
            col2im(dcols, KH, KW, sh, sw, ph, pw, grad_x[start:stop])
        if needs[1]:
            if cols is None:
                part = np.empty((stop - start, CK, OH * OW), dtype=x.dtype)
                im2col(x[start:stop], KH, KW, sh, sw, ph, pw, part)
            else:
                part = cols[start:stop]
            sums[start] = np.matmul(g[start:stop], part.transpose(0, 2, 1)).sum(axis=0)

    passes = (grad_x is not None) + bool(needs[1])  # GEMMs per image, each N*F*CK*OH*OW
    kind = (dtype, grad_x is not None, needs[1] and cols is None)
    split_batch(N, work, kind, cost=passes * N * F * CK * OH * OW // GEMM_MACS_PER_NS)
    return grad_x, (_in_batch_order(sums, w.shape) if needs[1] else None)


def conv2d_uses_rows(w_shape: tuple[int, ...], stride: tuple[int, int]) -> bool:
    """Whether a convolution with these weights and stride runs in the rows layout, which
    keeps no patch matrix for the backward pass (so a caller need not allocate ``cols``).

    The rows layout, for stride 1: the output grid is computed Wp = W + 2 pw wide instead of
    OW, so that each tap's row of the patch matrix is one contiguous run of the flattened
    padded image (`im2col_rows`), copied 2.5x faster than `im2col`'s runs of OW values, and
    its adjoint one contiguous addition (`col2im_rows`). The KW - 1 extra columns per output
    row cost that much more GEMM work (14 % for 3x3 taps on 14x14 images) and are dropped from
    the output (`crop_rows`) or met with zeros in the gradient (`widen_rows`). Images go by in
    groups of at most `GROUP_BYTES`, one GEMM per group, and the backward pass copies the patches
    again rather than keeping them.

    Example:
        >>> conv2d_uses_rows((16, 8, 3, 3), (1, 1)), conv2d_uses_rows((16, 8, 3, 3), (2, 2))
        (True, False)
        >>> conv2d_uses_rows((8, 1, 3, 3), (1, 1))  # 9 taps: fewer than ROWS_MIN_TAPS
        False
    """
    taps = w_shape[1] * w_shape[2] * w_shape[3]
    return stride[0] == 1 and stride[1] == 1 and taps >= ROWS_MIN_TAPS


def _rows_geometry(x_shape, w_shape, padding):
    """Plain ints of the rows layout: KH, KW, ph, pw, the padded width Wp, OH, OW, the
    Wp-wide row length L = OH*Wp of one image's output grid, and the taps CK = C*KH*KW."""
    KH, KW, _, _, ph, pw, OH, OW = _geometry(x_shape, w_shape, (1, 1), padding)
    Wp = int(x_shape[3]) + 2 * pw
    return KH, KW, ph, pw, Wp, OH, OW, OH * Wp, int(w_shape[1]) * KH * KW


def _groups(start: int, stop: int, CK: int, F: int, L: int, dtype: np.dtype) -> Iterator[tuple]:
    """The groups of one slice ``range(start, stop)`` of the batch: ``(first, last, cols,
    wide)``, with ``cols`` (CK, k, L) and ``wide`` (F, k, L) views of two buffers the slice
    reuses for each group of k = last - first images (at most `GROUP_BYTES` together, and
    the groups of a slice as even in size as they can be; none for an empty slice)."""
    if stop <= start:  # an empty batch: its one slice has no images
        return
    most = max(1, GROUP_BYTES // ((CK + F) * L * np.dtype(dtype).itemsize))
    parts = -(-(stop - start) // most)  # ceilings
    size = -(-(stop - start) // parts)
    cols_buf = np.empty(CK * size * L, dtype=dtype)
    wide_buf = np.empty(F * size * L, dtype=dtype)
    for first in range(start, stop, size):
        last = min(stop, first + size)
        k = last - first
        yield (
            first,
            last,
            cols_buf[: CK * k * L].reshape(CK, k, L),
            wide_buf[: F * k * L].reshape(F, k, L),
        )


def _in_batch_order(sums: dict[int, np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    """The slices' weight-gradient sums added in batch order, not finishing order: the same
    bits every run."""
    return np.sum([sums[start] for start in sorted(sums)], axis=0).reshape(shape)


def _forward_rows(
    x: np.ndarray, w: np.ndarray, padding: tuple[int, int], bias: np.ndarray | None
) -> np.ndarray:
    """`conv2d_forward` at stride 1 in the rows layout (see `conv2d_uses_rows`): per group of
    k images, one GEMM (F, CK) @ (CK, k*OH*Wp)."""
    N, F = x.shape[0], w.shape[0]
    KH, KW, ph, pw, Wp, OH, OW, L, CK = _rows_geometry(x.shape, w.shape, padding)
    w2 = w.reshape(F, CK)
    b = np.empty(0, dtype=x.dtype) if bias is None else bias
    y = np.empty((N, F, OH, OW), dtype=x.dtype)

    def work(start: int, stop: int) -> None:
        for first, last, cols, wide in _groups(start, stop, CK, F, L, x.dtype):
            im2col_rows(x[first:last], KH, KW, ph, pw, cols)
            with np.errstate(invalid="ignore"):  # inf weights times an extra column's 0
                np.matmul(w2, cols.reshape(CK, -1), out=wide.reshape(F, -1))
            crop_rows(wide, Wp, b, y[first:last])

    split_batch(N, work, (x.dtype, "rows"), cost=N * F * CK * L // GEMM_MACS_PER_NS)
    return y


def _backward_rows(
    g: np.ndarray,
    x: np.ndarray,
    w: np.ndarray,
    padding: tuple[int, int],
    needs: tuple[bool, bool],
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """`conv2d_backward` at stride 1 in the rows layout (see `conv2d_uses_rows`). Per group of
    k images, one GEMM for each gradient: (F, k*OH*Wp) @ (k*OH*Wp, CK) and (CK, F) @ (F,
    k*OH*Wp).

    The extra columns meet zeros, and inf * 0 = NaN: grad_x is exact only for finite weights
    (the caller checks them; there are far fewer of them than of x's values), and grad_w
    differs from the exact layout's only by NaNs, where an inf or NaN of x met an extra column
    (the caller looks for NaNs in grad_w instead of for non-finite values in all of x, a pass
    of 0.1 ms on the 14x14 benchmark's input)."""
    N, F, dtype = x.shape[0], w.shape[0], g.dtype
    KH, KW, ph, pw, Wp, _, _, L, CK = _rows_geometry(x.shape, w.shape, padding)
    w2t = w.reshape(F, CK).T
    grad_x = np.empty(x.shape, dtype=dtype) if needs[0] else None
    sums: dict[int, np.ndarray] = {}

    def work(start: int, stop: int) -> None:
        total = np.zeros((F, CK), dtype=dtype)
        part = np.empty((F, CK), dtype=dtype)
        for first, last, cols, wide in _groups(start, stop, CK, F, L, dtype):
            widen_rows(g[first:last], Wp, wide)
            if needs[1]:
                im2col_rows(x[first:last], KH, KW, ph, pw, cols)
                with np.errstate(invalid="ignore"):  # an inf of x times an extra column's 0
                    np.matmul(wide.reshape(F, -1), cols.reshape(CK, -1).T, out=part)
                total += part
            if grad_x is not None:
                np.matmul(w2t, wide.reshape(F, -1), out=cols.reshape(CK, -1))
                col2im_rows(cols, KH, KW, ph, pw, grad_x[first:last])
        sums[start] = total

    passes = (grad_x is not None) + bool(needs[1])
    kind = (dtype, "rows", grad_x is not None, needs[1])
    split_batch(N, work, kind, cost=passes * N * F * CK * L // GEMM_MACS_PER_NS)
    return grad_x, (_in_batch_order(sums, w.shape) if needs[1] else None)


def conv2d_grad_input(
    grad_out: np.ndarray,
    w: np.ndarray,
    input_hw: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
) -> np.ndarray:
    """Gradient of `conv2d_forward` with respect to x alone (see `conv2d_backward`).

    ``input_hw`` is the forward input's (H, W): several H give the same OH when sh > 1.

    Example:
        >>> g = np.ones((1, 1, 2, 2))
        >>> conv2d_grad_input(g, np.ones((1, 1, 2, 2)), (3, 3), (1, 1), (0, 0))[0, 0].tolist()
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    N, C = grad_out.shape[0], w.shape[1]
    # Only x's shape matters for grad_x; a broadcast zero stands in without memory.
    x = np.broadcast_to(np.zeros((), dtype=grad_out.dtype), (N, C, *input_hw))
    grad_x = conv2d_backward(grad_out, x, w, stride, padding, needs=(True, False))[0]
    return cast(np.ndarray, grad_x)  # asked for, so computed


def conv2d_grad_weight(
    grad_out: np.ndarray,
    x: np.ndarray,
    kernel_hw: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
) -> np.ndarray:
    """Gradient of `conv2d_forward` with respect to w alone (see `conv2d_backward`).

    Example:
        >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
        >>> conv2d_grad_weight(np.ones((1, 1, 2, 2)), x, (2, 2), (1, 1), (0, 0))[0, 0].tolist()
        [[8.0, 12.0], [20.0, 24.0]]
    """
    F, C = grad_out.shape[1], x.shape[1]
    w = np.broadcast_to(np.zeros((), dtype=grad_out.dtype), (F, C, *kernel_hw))
    grad_w = conv2d_backward(grad_out, x, w, stride, padding, needs=(False, True))[1]
    return cast(np.ndarray, grad_w)  # asked for, so computed
