import numpy as np
import pytest

from core import datasets


def test_digits_is_the_real_data_set():
    X, y = datasets.digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0 and X.max() == 16
    assert sorted(np.unique(y)) == list(range(10))


def test_breast_cancer_is_the_real_data_set_with_features_on_very_different_scales():
    X, y = datasets.breast_cancer()
    assert X.shape == (569, 30) and X.dtype == np.float32 and y.shape == (569,)
    assert np.bincount(y).tolist() == [212, 357]  # 0 malignant, 1 benign (scikit-learn's coding)
    # the first row as scikit-learn's file writes it (mean radius, ..., worst fractal dimension)
    assert X[0, 0] == np.float32(17.99) and X[0, 3] == np.float32(1001) and y[0] == 0
    assert X.max() == 4254 and X[:, 23].max() == 4254  # worst area
    std = X.std(axis=0)
    assert std.max() / std.min() > 1e5  # the point of shipping it: scales apart by 10^5
    d = datasets.load("breast_cancer")
    assert d.n_classes == 2 and d.n_samples == 569 and d.standardized


@pytest.mark.parametrize("name", datasets.SHIPPED)
def test_raw_inputs_keep_the_values_the_split_and_say_so(name):
    raw, standard = datasets.load(name, 3, standardize=False), datasets.load(name, 3)
    assert not raw.standardized and standard.standardized
    assert raw.X_train.dtype == raw.X_val.dtype == np.float32  # training stays float32
    assert np.array_equal(raw.y_train, standard.y_train)
    assert np.array_equal(raw.y_val, standard.y_val)
    # the identity map: mean 0, scale 1, and (x - mean) / scale recovers the standardised data
    assert np.array_equal(raw.mean, np.zeros(raw.n_features, np.float32))
    assert np.array_equal(raw.scale, np.ones(raw.n_features, np.float32))
    for a, b in ((raw.X_train, standard.X_train), (raw.X_val, standard.X_val)):
        again = (a.astype(np.float64) - standard.mean) / standard.scale
        assert np.allclose(again, b, atol=1e-4)


def test_raw_from_arrays_copies_and_casts():
    X = np.arange(40, dtype=np.float32).reshape(20, 2)
    d = datasets.from_arrays(X, np.repeat([0, 1], 10), standardize=False)
    assert d.X_train.dtype == np.float32 and not d.standardized
    assert np.isin(d.X_train, X).all() and d.X_train.max() > 1
    d.X_train[:] = -1  # the data set holds its own arrays
    assert X.min() == 0


@pytest.mark.parametrize("name", datasets.SHIPPED)
def test_load_shapes_and_standardisation(name):
    d = datasets.load(name)
    assert d.X_train.dtype == np.float32 and d.y_train.dtype == np.int64
    assert not np.isnan(d.X_train).any() and not np.isnan(d.X_val).any()
    assert d.X_train.shape[1] == d.X_val.shape[1] == d.n_features
    assert len(d.X_val) == pytest.approx(0.2 * d.n_samples, abs=d.n_classes)
    # standardised with the training split: mean 0, std 1 (or 0 for constant features)
    assert np.allclose(d.X_train.mean(axis=0), 0, atol=1e-5)
    std = d.X_train.std(axis=0)
    assert np.all(np.isclose(std, 1, atol=1e-4) | np.isclose(std, 0))


def test_digits_has_constant_pixels_and_no_nan():
    d = datasets.load("digits")
    assert (d.X_train.std(axis=0) == 0).any()
    assert d.n_classes == 10 and d.n_samples == 1797


def test_split_is_stratified():
    d = datasets.load("digits")
    train_share = np.bincount(d.y_train) / len(d.y_train)
    val_share = np.bincount(d.y_val) / len(d.y_val)
    assert np.abs(train_share - val_share).max() < 0.01


def test_standardisation_uses_only_the_training_split():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 3)) * 5 + 10
    y = np.repeat([0, 1], 100)
    d = datasets.from_arrays(X, y, seed=3)
    tr, _ = datasets.stratified_split(y, 0.2, np.random.default_rng(3))
    assert np.allclose(d.mean, X[tr].mean(axis=0), rtol=1e-6)
    assert np.allclose(d.scale, X[tr].std(axis=0), rtol=1e-6)


def test_from_arrays_maps_labels_and_survives_constant_columns():
    X = np.column_stack([np.arange(50.0), np.full(50, 7.0)])
    y = np.array(["cat", "dog"] * 25)
    d = datasets.from_arrays(X, y)
    assert d.n_classes == 2 and set(d.y_train) == {0, 1}
    assert np.all(d.X_train[:, 1] == 0)
    with pytest.raises(ValueError, match="NaN"):
        datasets.from_arrays(np.array([[np.nan], [1.0]]), [0, 1])


def test_seed_fixes_the_synthetic_draw_and_split():
    a, b, c = datasets.load("spirals", 1), datasets.load("spirals", 1), datasets.load("spirals", 2)
    assert np.array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.X_train, c.X_train)


def test_unknown_data_set():
    with pytest.raises(ValueError, match="digits, spirals"):
        datasets.load("mnist")


def test_fashion_mnist_raw_is_the_pixel_values(tmp_path):
    from test_fashion_mnist import write_look_alikes

    from core import fashion_mnist

    files, _ = write_look_alikes(tmp_path, 40, 20)
    raw = fashion_mnist.load(tmp_path, files, standardize=False)
    standard = fashion_mnist.load(tmp_path, files)
    assert not raw.standardized and raw.X_train.dtype == np.float32
    pixels = fashion_mnist.read_idx(tmp_path / files["train_images"][0]).reshape(40, -1)
    assert np.array_equal(raw.X_train, pixels.astype(np.float32))
    assert np.allclose((raw.X_train - standard.mean) / standard.scale, standard.X_train, atol=1e-5)
