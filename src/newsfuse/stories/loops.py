"""Compiled loops for the per-article steps of story assignment (numba).

Each step of assigning one article (scoring its candidate stories, merging it into the story
it joins) was tens of numpy calls on arrays of a few hundred elements, and the calls, not the
arithmetic, were the cost. Here each step is one compiled loop. They compute exactly what the
numpy code in `core` computes, bit for bit, so the assignments are the same with and without
numba (tested): float32 sums follow numpy's pairwise summation and `np.add.reduceat`'s
segments.

When numba is not installed, `COMPILED` is False and `core` runs its numpy code. Compiled code
is cached next to this module (``cache=True``): the first process after an install compiles
for a few seconds, later ones load the cache.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

F = TypeVar("F", bound=Callable[..., Any])
COMPILED = importlib.util.find_spec("numba") is not None
_BITS = 18  # core.BITS: a flat feature's channel is ``idx >> _BITS``
_BLOCK = 128  # numpy's PW_BLOCKSIZE


def _jit(f: F) -> F:
    if not COMPILED:  # pragma: no cover - numba is a core dependency
        return f
    from numba import njit

    return cast(F, njit(cache=True, nogil=True)(f))


@_jit
def pairwise(a: npt.NDArray[np.float32], lo: int, n: int) -> np.float32:
    """``a[lo:lo + n]`` summed in float32 as numpy's pairwise summation does: sequential below
    8 elements, 8 interleaved sums up to 128, else halves at a multiple of 8."""
    if n < 8:
        res = np.float32(-0.0)
        for i in range(lo, lo + n):
            res += a[i]
        return res
    if n <= _BLOCK:
        r = a[lo : lo + 8].copy()
        i = 8
        while i < n - n % 8:
            for j in range(8):
                r[j] += a[lo + i + j]
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            res += a[lo + i]
            i += 1
        return np.float32(res)
    half = n // 2
    half -= half % 8
    total: np.float32 = pairwise(a, lo, half) + pairwise(a, lo + half, n - half)
    return total


@_jit
def segment_sums(
    a: npt.NDArray[np.float32], lens: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """`core._segment_sums`: per segment, the sum as ``np.add.reduceat`` takes it (the first
    element, then the rest pairwise); 0 for an empty segment."""
    out = np.zeros(len(lens), np.float32)
    start = 0
    for k in range(len(lens)):
        n = lens[k]
        if n > 0:
            out[k] = a[start] if n == 1 else a[start] + pairwise(a, start + 1, n - 1)
        start += n
    return out


@_jit
def dots(
    scratch: npt.NDArray[np.float32],
    idx: npt.NDArray[np.int32],
    val: npt.NDArray[np.float32],
    lens: npt.NDArray[np.int64],
) -> npt.NDArray[np.float32]:
    """Per segment of ``lens``: the dot product of ``val`` with ``scratch`` at ``idx``."""
    prod = np.empty(len(idx), np.float32)
    for i in range(len(idx)):
        prod[i] = scratch[idx[i]] * val[i]
    return segment_sums(prod, lens)


@_jit
def normalised(w: npt.NDArray[np.float32], lens: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
    """`core.StoryIndex._normalised`: ``w`` L2-normalised per segment of ``lens``."""
    norms = np.sqrt(segment_sums(w * w, lens))
    out = np.empty(len(w), np.float32)
    i = 0
    for k in range(len(lens)):
        norm = norms[k] if norms[k] != 0.0 else np.float32(1.0)
        for _ in range(lens[k]):
            out[i] = w[i] / norm
            i += 1
    return out


@_jit
def merge(
    c_idx: npt.NDArray[np.int32],
    c_val: npt.NDArray[np.float32],
    d_idx: npt.NDArray[np.int32],
    d_val: npt.NDArray[np.float32],
    sums: npt.NDArray[np.float32],
    idf: npt.NDArray[np.float32],
    keep: npt.NDArray[np.int64],
) -> tuple[
    npt.NDArray[np.int32], npt.NDArray[np.float32], npt.NDArray[np.float32], npt.NDArray[np.int64]
]:
    """`core.StoryIndex._add`: centroid ``c`` + vector ``d`` (both sorted flat features, values
    > 0), each channel truncated to its ``keep`` features heaviest by TF-IDF (ties by
    feature), in feature order: the features, the summed values, their TF-IDF L2-normalised
    per channel, the features per channel. ``sums`` is zero before and after."""
    n_c, n_d = len(c_idx), len(d_idx)
    idx = np.empty(n_c + n_d, np.int32)
    i = j = n = 0
    while i < n_c or j < n_d:  # the sorted union
        if j == n_d or (i < n_c and c_idx[i] < d_idx[j]):
            idx[n] = c_idx[i]
            i += 1
        elif i == n_c or d_idx[j] < c_idx[i]:
            idx[n] = d_idx[j]
            j += 1
        else:
            idx[n] = c_idx[i]
            i += 1
            j += 1
        n += 1
    idx = idx[:n]
    for k in range(n_c):
        sums[c_idx[k]] = c_val[k]
    for k in range(n_d):
        sums[d_idx[k]] += d_val[k]
    val = np.empty(n, np.float32)
    w = np.empty(n, np.float32)
    lens = np.zeros(3, np.int64)
    for k in range(n):
        val[k] = sums[idx[k]]
        sums[idx[k]] = 0.0
        w[k] = val[k] * idf[idx[k]]
        lens[idx[k] >> _BITS] += 1
    kept = np.ones(n, np.bool_)
    start = 0
    for ch in range(3):
        if lens[ch] > keep[ch]:
            seg = w[start : start + lens[ch]]
            # heaviest first, ties by feature: positive float32 order as their bits
            key = (0x7FFFFFFF - seg.view(np.int32).astype(np.int64)) << 20
            key |= idx[start : start + lens[ch]].astype(np.int64) & ((1 << 20) - 1)
            order = np.argsort(key)
            for r in range(keep[ch], lens[ch]):
                kept[start + order[r]] = False
        start += lens[ch]
    lens = np.minimum(lens, keep)
    return idx[kept], val[kept], normalised(w[kept], lens), lens
