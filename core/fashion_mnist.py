"""Fashion-MNIST, downloaded once on request: the data set of the source book's chapter.

Fashion-MNIST (H. Xiao, K. Rasul and R. Vollgraf, Zalando Research, 2017; MIT licence) holds
70,000 grayscale 28x28 images of clothing in 10 classes. It is optional: nothing here runs
unless asked, and the app and the tests work offline without it. To use it::

    python -m core.fashion_mnist        # downloads about 30 MB once, into cache_dir()

The four gzip files (IDX format) are fetched from the first mirror that answers, written to a
``.part`` file while their SHA-256 is computed, and kept only when it matches :data:`FILES`.
:func:`status` says whether the cached files are there and match (the app offers the data set
only when they do); ``load()`` verifies them again before reading, so a truncated or altered
file is never used.
The training split is the official training set (60,000), the validation split the official
test set (10,000); features are the 784 pixels standardised with the training split's
statistics (the always-blank border pixels are centred, not divided by a zero std).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sys
import urllib.request
from pathlib import Path

import numpy as np

from .data import Dataset, prepared

#: role -> (file name, SHA-256 of the published file)
FILES = {
    "train_images": (
        "train-images-idx3-ubyte.gz",
        "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc",
    ),
    "train_labels": (
        "train-labels-idx1-ubyte.gz",
        "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc",
    ),
    "test_images": (
        "t10k-images-idx3-ubyte.gz",
        "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229",
    ),
    "test_labels": (
        "t10k-labels-idx1-ubyte.gz",
        "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf",
    ),
}
MIRRORS = (
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
)
CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip
IDX_UINT8 = 0x08
CHUNK = 1 << 20


class NotDownloaded(FileNotFoundError):
    """Fashion-MNIST is not in the cache; the message says how to get it."""


def cache_dir() -> Path:
    """Where the files live: ``$GRADIENT_LAB_CACHE/fashion-mnist``, else
    ``$XDG_CACHE_HOME/gradient-lab/fashion-mnist``, else ``~/.cache/gradient-lab/fashion-mnist``."""
    root = os.environ.get("GRADIENT_LAB_CACHE")
    if not root:
        xdg = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        root = Path(xdg) / "gradient-lab"
    return Path(root) / "fashion-mnist"


def _where(directory: Path | None, files: dict | None) -> tuple[Path, dict]:
    """The defaults: :func:`cache_dir` and :data:`FILES` (tests pass their own)."""
    return (cache_dir() if directory is None else Path(directory)), (
        FILES if files is None else files
    )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def is_downloaded(directory: Path | None = None, files: dict | None = None) -> bool:
    """All files present (their checksums are verified when loading)."""
    directory, files = _where(directory, files)
    return all((directory / name).is_file() for name, _ in files.values())


#: (path, size, mtime_ns) -> SHA-256: each file version is hashed once per process.
_DIGESTS: dict[tuple[str, int, int], str] = {}


def cached_sha256(path: Path) -> str:
    """:func:`sha256`, computed once per version of the file: keyed on its path, size and
    modification time, so a file rewritten or replaced is hashed again."""
    info = path.stat()
    key = (str(path.resolve()), info.st_size, info.st_mtime_ns)
    if key not in _DIGESTS:
        _DIGESTS[key] = sha256(path)
    return _DIGESTS[key]


def status(directory: Path | None = None, files: dict | None = None) -> str:
    """``"ok"`` when every file is present and matches its SHA-256, ``"missing"`` when one is
    absent, ``"corrupt"`` when one is present but does not match (damaged or altered).

    Cheap after the first call: each file is hashed once per version (:func:`cached_sha256`).
    """
    directory, files = _where(directory, files)
    if not is_downloaded(directory, files):
        return "missing"
    try:
        verified = all(cached_sha256(directory / name) == digest for name, digest in files.values())
    except OSError:  # removed or unreadable since the check above
        return "missing"
    return "ok" if verified else "corrupt"


def _fetch(url: str, target: Path, expected: str) -> None:
    """Stream ``url`` into ``target`` if its SHA-256 is ``expected``; raise OSError otherwise."""
    part = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(part, "wb") as out:
            while block := response.read(CHUNK):
                digest.update(block)
                out.write(block)
        if digest.hexdigest() != expected:
            raise OSError(f"checksum mismatch (SHA-256 {digest.hexdigest()}, expected {expected})")
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)


def download(
    directory: Path | None = None, mirrors: tuple[str, ...] = MIRRORS, files: dict | None = None
) -> Path:
    """Fetch every file not already present and verified; return the directory.

    Each file comes from the first mirror that serves it with the right SHA-256. Raises
    ``OSError`` naming every mirror's failure when a file cannot be had.
    """
    directory, files = _where(directory, files)
    directory.mkdir(parents=True, exist_ok=True)
    for name, expected in files.values():
        target = directory / name
        if target.is_file() and sha256(target) == expected:
            continue
        failures = []
        for mirror in mirrors:
            try:
                _fetch(mirror + name, target, expected)
                break
            except OSError as error:  # URLError and HTTPError are OSErrors too
                failures.append(f"{mirror}{name}: {error}")
        else:
            raise OSError(f"could not download {name}:\n  " + "\n  ".join(failures))
    return directory


def read_idx(path: Path) -> np.ndarray:
    """A gzip-compressed IDX file of unsigned bytes -> uint8 array of the shape it declares.

    Header: two zero bytes, the type code 0x08 (uint8), the number of dimensions, then each
    dimension as a big-endian uint32; the values follow, row-major.
    """
    with gzip.open(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[:2] != b"\0\0" or data[2] != IDX_UINT8:
        raise ValueError(f"{path.name} is not an IDX file of unsigned bytes")
    ndim = data[3]
    shape = tuple(np.frombuffer(data, ">u4", count=ndim, offset=4).astype(int))
    values = np.frombuffer(data, np.uint8, offset=4 + 4 * ndim)
    if values.size != int(np.prod(shape)):
        raise ValueError(f"{path.name} declares shape {shape} but holds {values.size} values")
    return values.reshape(shape)


def load(
    directory: Path | None = None, files: dict | None = None, standardize: bool = True
) -> Dataset:
    """The verified files as a standardised :class:`core.data.Dataset` (``standardize=False``:
    the raw pixel values 0..255 as float32).

    Raises :class:`NotDownloaded` when a file is missing and ``ValueError`` when one does not
    match its checksum or format.
    """
    directory, files = _where(directory, files)
    if not is_downloaded(directory, files):
        raise NotDownloaded(
            f"Fashion-MNIST is not in {directory}; download it once (about 30 MB) with "
            "`python -m core.fashion_mnist`"
        )
    arrays = {}
    for role, (name, expected) in files.items():
        if sha256(directory / name) != expected:
            raise ValueError(
                f"{directory / name} does not match its SHA-256; delete it and download again"
            )
        arrays[role] = read_idx(directory / name)
    X_train, X_test = (
        arrays[k].reshape(len(arrays[k]), -1) for k in ("train_images", "test_images")
    )
    y_train, y_test = (arrays[k].astype(np.int64) for k in ("train_labels", "test_labels"))
    if len(X_train) != len(y_train) or len(X_test) != len(y_test):
        raise ValueError("Fashion-MNIST images and labels differ in number")
    return prepared(X_train, y_train, X_test, y_test, len(CLASSES), "fashion_mnist", standardize)


def main() -> None:
    target = cache_dir()
    print(f"Downloading Fashion-MNIST (about 30 MB) into {target} ...")
    try:
        download(target)
    except OSError as error:
        sys.exit(f"Download failed: {error}")
    data = load(target)
    print(f"Done: {len(data.X_train)} training and {len(data.X_val)} validation images.")


if __name__ == "__main__":
    main()
