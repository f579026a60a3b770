"""Dropout masks: their random bits, their generator and their application.

A mask keeps an entry when a uniform 32-bit integer is at least the rate's
threshold, ``round(rate * 2**32)``: exact to 2**-32. The bits come from the
generator the caller passes:

- a ``numpy.random.Generator`` on a 64-bit bit generator (what the mini-batch
  driver uses, made by ``mask_generator``): every 64-bit output gives two
  32-bit draws (``BitGenerator.random_raw``), 2.5-3x faster than
  ``RandomState.randint`` for a 256 x 512 mask;
- a ``numpy.random.RandomState`` (L-BFGS's seeded objective, the gradient
  check, direct calls): ``randint`` over the full 32-bit range.

``apply_mask`` computes ``(x * keep) * scale`` with ``keep`` the mask as
0.0 / 1.0 of ``x``'s dtype, in one compiled pass when numba is available
(``sknn._accelerated``), in NumPy otherwise, with the same operations, so
the results are bitwise equal.
"""

import hashlib

import numpy as np

from ._accelerated import mask_kernel

#: bit generators whose ``random_raw`` fills all 64 bits (MT19937's fills 32)
_FULL_64_BITS = (np.random.SFC64, np.random.PCG64, np.random.PCG64DXSM, np.random.Philox)


def mask_generator(random_state):
    """A fast generator for dropout masks, seeded from ``random_state`` without drawing.

    The seed is a 128-bit hash (BLAKE2b) of the generator's whole state,
    MT19937's key and position: the masks are a deterministic function of the
    estimator's ``random_state``, and ``random_state`` is not advanced, so the
    shuffled mini-batches are those of the same fit without dropout (about
    0.1 ms, once per fit).

    Parameters
    ----------
    random_state : numpy.random.RandomState

    Returns
    -------
    numpy.random.Generator
        On an ``SFC64`` bit generator.
    """
    _, key, pos, *_ = random_state.get_state()
    digest = hashlib.blake2b(np.ascontiguousarray(key, dtype=np.uint32).tobytes(),
                             digest_size=16, salt=int(pos).to_bytes(16, "little")).digest()
    return np.random.Generator(np.random.SFC64(int.from_bytes(digest, "little")))


def threshold_of(rate):
    """The 32-bit threshold of a drop probability: an entry is kept if its draw is >= it."""
    return np.uint32(min(round(rate * 2**32), 2**32 - 1))


def draw_bits(rng, size):
    """``size`` uniform 32-bit integers, a flat uint32 array.

    Parameters
    ----------
    rng : numpy.random.Generator or numpy.random.RandomState
    size : int

    Returns
    -------
    ndarray of shape (size,), dtype uint32
    """
    if isinstance(rng, np.random.Generator):
        bit_generator = rng.bit_generator
        if isinstance(bit_generator, _FULL_64_BITS):
            return bit_generator.random_raw((size + 1) // 2).view(np.uint32)[:size]
        return rng.integers(0, 2**32, size=size, dtype=np.uint32)
    return rng.randint(0, 2**32, size=size, dtype=np.uint32)


def apply_mask(x, bits, threshold, scale, out=None):
    """``(x * keep) * scale`` with ``keep = bits >= threshold`` as 0 / 1 of ``x``'s dtype.

    Parameters
    ----------
    x : ndarray
        float32 or float64 (the compiled pass needs ``x`` and ``out``
        C-contiguous; NumPy serves the rest).
    bits : ndarray of shape (x.size,), dtype uint32
    threshold : numpy.uint32
    scale : float
        Cast to ``x``'s dtype (as NumPy casts a Python float).
    out : ndarray like x, optional
        Where to write; a new array otherwise. May be ``x`` itself.

    Returns
    -------
    ndarray like x
    """
    if out is None:
        out = np.empty_like(x)
    scale = x.dtype.type(scale)
    contiguous = x.flags.c_contiguous and out.flags.c_contiguous
    kernel = mask_kernel(x.dtype, x.size) if contiguous else None
    if kernel is not None:
        kernel(x.reshape(-1), bits, threshold, scale, out.reshape(-1))
        return out
    keep = (bits >= threshold).reshape(x.shape)
    np.multiply(x, keep, out=out)
    out *= scale
    return out
