"""The optional Fashion-MNIST download, on small IDX files made here and served by file:// URLs."""

import ast
import gzip
import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

from core import data, datasets, fashion_mnist


def write_idx(path, array: np.ndarray) -> None:
    header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, ">u4").tobytes()
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def write_look_alikes(folder, n_train: int, n_test: int) -> tuple[dict, dict]:
    """Tiny Fashion-MNIST look-alikes under the real file names in ``folder``: returns the
    FILES-style table with their checksums, and the arrays written."""
    rng = np.random.default_rng(0)
    arrays = {
        "train_images": rng.integers(0, 256, (n_train, 28, 28)),
        "test_images": rng.integers(0, 256, (n_test, 28, 28)),
        "train_labels": np.arange(n_train) % 10,
        "test_labels": np.arange(n_test) % 10,
    }
    for role in ("train_images", "test_images"):
        arrays[role][:, :, 0] = 0  # a blank border column, as in the real images
    files = {}
    for role, (name, _) in fashion_mnist.FILES.items():
        write_idx(folder / name, arrays[role])
        files[role] = (name, hashlib.sha256((folder / name).read_bytes()).hexdigest())
    return files, arrays


@pytest.fixture
def mirror(tmp_path):
    """A directory of look-alikes, its file:// URL, their checksums and contents."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    files, arrays = write_look_alikes(folder, 40, 20)
    return folder.as_uri() + "/", files, arrays


def test_download_verifies_then_load_gives_a_standardised_dataset(tmp_path, mirror):
    url, files, arrays = mirror
    cache = fashion_mnist.download(tmp_path / "cache", (url,), files)
    assert sorted(p.name for p in cache.iterdir()) == sorted(n for n, _ in files.values())
    data = fashion_mnist.load(cache, files)
    assert data.X_train.shape == (40, 784) and data.X_val.shape == (20, 784)
    assert data.X_train.dtype == np.float32 and data.n_classes == 10
    assert data.y_train.tolist() == arrays["train_labels"].tolist()
    assert np.allclose(data.X_train.mean(axis=0), 0, atol=1e-5)
    pixels = arrays["train_images"].reshape(40, -1).astype(np.float64)
    assert np.allclose(data.mean, pixels.mean(axis=0), rtol=1e-6)
    blank = pixels.std(axis=0) == 0
    assert blank.any() and np.all(data.X_train[:, blank] == 0)  # centred, not divided by 0
    expected_val = (arrays["test_images"].reshape(20, -1) - pixels.mean(0)) / np.where(
        blank, 1, pixels.std(0)
    )
    np.testing.assert_allclose(data.X_val, expected_val, rtol=1e-5, atol=1e-5)


def test_a_verified_file_is_not_fetched_again(tmp_path, mirror):
    url, files, _ = mirror
    cache = fashion_mnist.download(tmp_path / "cache", (url,), files)
    assert fashion_mnist.download(cache, (), files) == cache  # no mirror needed now


def test_a_corrupt_mirror_is_skipped_for_the_next_one(tmp_path, mirror):
    url, files, _ = mirror
    bad = tmp_path / "bad"
    bad.mkdir()
    for name, _ in files.values():
        (bad / name).write_bytes(b"not the file")
    cache = fashion_mnist.download(tmp_path / "cache", (bad.as_uri() + "/", url), files)
    for name, digest in files.values():
        assert fashion_mnist.sha256(cache / name) == digest


def test_when_every_mirror_fails_the_error_names_each_and_nothing_is_kept(tmp_path, mirror):
    _, files, _ = mirror
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / files["train_images"][0]).write_bytes(b"tampered")
    missing = (tmp_path / "nowhere").as_uri() + "/"
    cache = tmp_path / "cache"
    with pytest.raises(OSError) as error:
        fashion_mnist.download(cache, (bad.as_uri() + "/", missing), files)
    assert "checksum mismatch" in str(error.value) and "nowhere" in str(error.value)
    assert list(cache.iterdir()) == []  # no partial file left behind


def test_load_refuses_missing_or_altered_files(tmp_path, mirror):
    url, files, _ = mirror
    with pytest.raises(fashion_mnist.NotDownloaded, match="python -m core.fashion_mnist"):
        fashion_mnist.load(tmp_path / "empty", files)
    cache = fashion_mnist.download(tmp_path / "cache", (url,), files)
    write_idx(cache / files["test_labels"][0], np.zeros(20))
    with pytest.raises(ValueError, match="SHA-256"):
        fashion_mnist.load(cache, files)


def test_read_idx_checks_the_header_and_the_size(tmp_path):
    good = tmp_path / "good.gz"
    write_idx(good, np.arange(6).reshape(2, 3))
    assert fashion_mnist.read_idx(good).tolist() == [[0, 1, 2], [3, 4, 5]]
    wrong_type = tmp_path / "floats.gz"
    with gzip.open(wrong_type, "wb") as f:
        f.write(bytes([0, 0, 0x0D, 1]) + np.array([1], ">u4").tobytes() + b"\0\0\0\0")
    with pytest.raises(ValueError, match="unsigned bytes"):
        fashion_mnist.read_idx(wrong_type)
    short = tmp_path / "short.gz"
    with gzip.open(short, "wb") as f:
        f.write(bytes([0, 0, 0x08, 2]) + np.array([2, 3], ">u4").tobytes() + b"\1\2")
    with pytest.raises(ValueError, match="holds 2 values"):
        fashion_mnist.read_idx(short)


def test_cache_location_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GRADIENT_LAB_CACHE", str(tmp_path / "lab"))
    assert fashion_mnist.cache_dir() == tmp_path / "lab" / "fashion-mnist"
    monkeypatch.delenv("GRADIENT_LAB_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert fashion_mnist.cache_dir() == tmp_path / "xdg" / "gradient-lab" / "fashion-mnist"


def test_datasets_offer_it_only_once_downloaded(monkeypatch, tmp_path, mirror):
    url, files, _ = mirror
    monkeypatch.setenv("GRADIENT_LAB_CACHE", str(tmp_path / "lab"))
    monkeypatch.setattr(fashion_mnist, "FILES", files)
    assert not datasets.available("fashion_mnist")
    assert all(datasets.available(name) for name in datasets.SHIPPED)
    with pytest.raises(fashion_mnist.NotDownloaded):
        datasets.load("fashion_mnist")
    fashion_mnist.download(mirrors=(url,))
    assert datasets.available("fashion_mnist")
    assert datasets.load("fashion_mnist").X_train.shape == (40, 784)


def core_imports(module) -> set[str]:
    """The sibling modules of core that ``module``'s source imports (anywhere in it)."""
    tree = ast.parse(Path(module.__file__).read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found |= {node.module} if node.module else {a.name for a in node.names}
    return found


def test_imports_point_one_way():
    """datasets may use fashion_mnist, never the reverse; both build on core.data alone."""
    assert "datasets" not in core_imports(fashion_mnist)
    assert core_imports(fashion_mnist) == {"data"}
    assert core_imports(data) == set()
    assert {"data", "fashion_mnist"} <= core_imports(datasets)
    assert datasets.Dataset is data.Dataset


def test_status_verifies_the_checksums_once_per_file_version(monkeypatch, tmp_path, mirror):
    url, files, _ = mirror
    cache = tmp_path / "cache"
    assert fashion_mnist.status(cache, files) == "missing"
    fashion_mnist.download(cache, (url,), files)
    hashed = []
    real = fashion_mnist.sha256
    monkeypatch.setattr(fashion_mnist, "sha256", lambda path: hashed.append(path) or real(path))
    assert fashion_mnist.status(cache, files) == "ok"
    assert fashion_mnist.status(cache, files) == "ok"
    assert len(hashed) == len(files)  # once per file, not once per call
    labels = cache / files["test_labels"][0]
    good = labels.read_bytes()
    labels.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))  # same size, one bit flipped
    os.utime(labels, ns=(labels.stat().st_atime_ns, labels.stat().st_mtime_ns + 10**9))
    assert fashion_mnist.status(cache, files) == "corrupt"
    assert len(hashed) == len(files) + 1  # only the changed file is hashed again
    labels.write_bytes(good)
    os.utime(labels, ns=(labels.stat().st_atime_ns, labels.stat().st_mtime_ns + 2 * 10**9))
    assert fashion_mnist.status(cache, files) == "ok"


def test_datasets_do_not_offer_a_corrupted_cache(monkeypatch, tmp_path, mirror):
    url, files, _ = mirror
    monkeypatch.setenv("GRADIENT_LAB_CACHE", str(tmp_path / "lab"))
    monkeypatch.setattr(fashion_mnist, "FILES", files)
    fashion_mnist.download(mirrors=(url,))
    (fashion_mnist.cache_dir() / files["train_images"][0]).write_bytes(b"truncated")
    assert datasets.status("fashion_mnist") == "corrupt"
    assert not datasets.available("fashion_mnist")
    assert datasets.status("digits") == "ok"
    with pytest.raises(ValueError, match="valid data sets: digits"):
        datasets.status("mnist")
