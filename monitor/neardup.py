"""Near-duplicate articles: MinHash signatures (datasketch) and LSH bands.

The bands of every stored article live in the database (table `lsh_band`), so
every worker sees the same index and a lookup is a handful of indexed equality
queries, whatever the number of stored articles. Candidates from the bands are
confirmed by the estimated Jaccard similarity of the full signatures.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from monitor.dedup import fold

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 128
THRESHOLD = 0.7  # estimated Jaccard similarity of word 4-gram shingles, confirmed on full signatures
SHINGLE = 4
_WORD = re.compile(r"\w+", re.UNICODE)


# 20 bands of 6 rows: a pair with similarity 0.7 shares a band with probability 0.94,
# 0.8 with 0.998; 0.5 still gives 27% candidates, which the full-signature check drops.
BANDS, ROWS = 20, 6


@dataclass(frozen=True)
class Signature:
    values: np.ndarray  # NUM_PERM uint hash values

    # numpy is imported on first use: the store imports this module, and a process that only
    # polls never handles a signature (numpy is 20 MB of resident memory)

    def to_bytes(self) -> bytes:
        import numpy as np

        return self.values.astype(np.uint64).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Signature":
        import numpy as np

        return cls(np.frombuffer(data, dtype=np.uint64))

    def similarity(self, other: "Signature") -> float:
        import numpy as np

        return float(np.count_nonzero(self.values == other.values)) / len(self.values)

    def bands(self) -> list[tuple[int, int]]:
        """(band index, signed 64-bit hash of the band's rows) for each band."""
        # one conversion for all bands, then a slice of bytes per band (runs on every lookup and store)
        import numpy as np

        data, step, blake2b = self.values[:BANDS * ROWS].astype(np.uint64).tobytes(), ROWS * 8, hashlib.blake2b
        return [(i, int.from_bytes(blake2b(data[i * step:(i + 1) * step], digest_size=8).digest(), "big", signed=True))
                for i in range(BANDS)]


def shingles(text: str) -> set[bytes]:
    words = _WORD.findall(fold(text))
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(text: str) -> Signature | None:
    """MinHash of the text's word 4-grams; None for texts too short to compare."""
    grams = shingles(text)
    if len(grams) < 8:
        return None
    m = _fresh_minhash()
    m.update_batch(_sha1_32(grams))
    return Signature(m.hashvalues.copy())


@lru_cache(maxsize=1)
def _permutations():
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM)  # seed 1, datasketch's default scheme
    return m.permutations, m.scheme


def _fresh_minhash():
    """An empty datasketch MinHash whose permutations are made once per process, not per article."""
    from datasketch import MinHash

    perms, scheme = _permutations()
    return MinHash(num_perm=NUM_PERM, permutations=perms, scheme=scheme, hashfunc=int)


def _sha1_32(grams: set[bytes]) -> list[int]:
    """datasketch's default `sha1_hash32` of each shingle (the first 4 bytes of its SHA-1, little-endian),
    computed in one pass; the MinHash then hashes them with `int`, which returns them as they are."""
    import numpy as np

    sha1 = hashlib.sha1
    return np.frombuffer(b"".join([sha1(g).digest()[:4] for g in grams]), dtype="<u4").tolist()
