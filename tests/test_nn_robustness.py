"""nn at its edges: BCE at p = 0 and 1, module files (exact names, dtypes, NaN, corrupt and
oversized archives), argument checks at construction, and a training run that diverges."""

from __future__ import annotations

import os
import tracemalloc
import zipfile

import numpy as np
import pytest
from numpy.lib import format as npy_format

import nn
from autograd import Tensor, Value, detect_anomaly, gradcheck, manual_seed
from nn import functional as F
from nn import optim

# ---- 1. binary cross-entropy at saturated probabilities -------------------------------------

# all four (p, y) corners, a soft target at each edge, and two interior points
EDGE_P = np.array([0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.5, 0.3])
EDGE_Y = np.array([0.0, 1.0, 0.0, 1.0, 0.3, 0.3, 0.5, 0.25])
# PyTorch's BCE: each log clamped at -100; gradient (p - y) / max(p (1 - p), ε), where ε is 1e-12
# as a C float (so 1/ε is 1.000000004e12, not 1e12, in float64 too)
EPS = float(np.float32(1e-12))
EDGE_LOSS = np.array([0.0, 100.0, 100.0, 0.0, 30.0, 70.0, np.log(2.0), 0.0])
EDGE_LOSS[7] = -(0.25 * np.log(0.3) + 0.75 * np.log(0.7))
EDGE_GRAD = np.array([0.0, -1.0, 1.0, 0.0, -0.3, 0.7, 0.0, 0.05 / 0.21 * EPS]) / EPS


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_at_zero_and_one_is_finite_and_clamped_as_in_pytorch(dtype, reduction):
    p = Tensor(EDGE_P.astype(dtype), requires_grad=True)
    loss = F.binary_cross_entropy(p, Tensor(EDGE_Y.astype(dtype)), reduction=reduction)
    (loss.sum() if reduction == "none" else loss).backward()
    scale = 1.0 / len(EDGE_P) if reduction == "mean" else 1.0
    expected = {"mean": EDGE_LOSS.mean(), "sum": EDGE_LOSS.sum(), "none": EDGE_LOSS}[reduction]
    rtol = 1e-6 if dtype == np.float32 else 1e-12
    assert loss.dtype == dtype and p.grad.dtype == dtype
    assert np.isfinite(p.grad).all()
    np.testing.assert_allclose(loss.data, expected, rtol=rtol, atol=rtol)
    np.testing.assert_allclose(p.grad, EDGE_GRAD * scale, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_edges_match_torch(dtype, reduction):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    # the corners, then probabilities crowding 0 and 1 (where PyTorch's clamps act), then the rest
    tiny = 10.0 ** rng.uniform(-40, -1, 20)
    p = np.concatenate([EDGE_P, tiny, 1 - tiny, rng.uniform(0, 1, 20)]).astype(dtype)
    y = np.concatenate([EDGE_Y, rng.uniform(0, 1, 60)]).astype(dtype)
    ours_p = Tensor(p, requires_grad=True)
    ours = F.binary_cross_entropy(ours_p, Tensor(y), reduction=reduction)
    (ours.sum() if reduction == "none" else ours).backward()
    theirs_p = torch.tensor(p, requires_grad=True)
    theirs = torch.nn.functional.binary_cross_entropy(
        theirs_p, torch.tensor(y), reduction=reduction
    )
    (theirs.sum() if reduction == "none" else theirs).backward()
    rtol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=rtol, atol=rtol)
    np.testing.assert_allclose(ours_p.grad, theirs_p.grad.numpy(), rtol=rtol, atol=rtol)


def test_bce_module_and_gradcheck_inside():
    p = Tensor(np.array([0.1, 0.5, 0.9, 0.99]), requires_grad=True)
    y = np.array([1.0, 0.0, 0.5, 1.0])
    assert gradcheck(lambda q: F.binary_cross_entropy(q, Tensor(y)), p)
    p.grad = None
    loss = nn.BCELoss(reduction="sum")(p, Tensor(y))
    loss.backward()
    np.testing.assert_allclose(p.grad, (p.data - y) / (p.data * (1 - p.data)), rtol=1e-12)


def test_bce_target_gradient_is_finite_at_the_edges():
    # d/dy = clamped log(1 - p) - clamped log p (PyTorch gives ±inf here: it does not clamp it)
    p = Tensor(np.array([0.0, 1.0, 0.3]))
    y = Tensor(np.array([1.0, 0.0, 0.5]), requires_grad=True)
    F.binary_cross_entropy(p, y, reduction="sum").backward()
    np.testing.assert_allclose(y.grad, [100.0, -100.0, np.log(0.7) - np.log(0.3)], rtol=1e-12)


def test_bce_under_detect_anomaly_at_the_edges():
    p = Tensor(np.array([0.0, 1.0]), requires_grad=True)
    with detect_anomaly():
        F.binary_cross_entropy(p, Tensor(np.array([1.0, 1.0]))).backward()
    assert np.isfinite(p.grad).all()


def test_saturated_sigmoid_keeps_sgd_weights_finite():
    # float32 σ(20) == 1.0: a confident, correct prediction used to turn the weights into NaN
    net = nn.Linear(1, 1)
    net.weight.data[...] = 20.0
    net.bias.data[...] = 0.0
    opt = optim.SGD(net.parameters(), lr=0.1)
    x, y = np.ones((2, 1), np.float32), Tensor(np.array([[1.0], [1.0]], np.float32))
    for _ in range(2):
        loss = nn.BCELoss()(net(x).sigmoid(), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        assert np.isfinite(loss.item())
    assert np.isfinite(net.weight.data).all() and np.isfinite(net.bias.data).all()
    assert net.weight.data.item() == 20.0  # σ'(20) is 0 in float32: nothing to learn


@pytest.mark.parametrize("p,y", [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)])
def test_bce_value_path_at_the_edges_equals_the_tensor_path(p, y):
    v = Value(p)
    v_loss = nn.BCELoss()(v, y)
    v_loss.backward()
    t = Tensor(np.array([p]), requires_grad=True)
    t_loss = nn.BCELoss()(t, Tensor(np.array([y])))
    t_loss.backward()
    assert v_loss.data == pytest.approx(t_loss.item(), abs=1e-12)
    assert v.grad == pytest.approx(t.grad[0], rel=1e-12, abs=1e-12)
    z = Value(40.0)  # σ(40) == 1.0 in float64
    nn.BCELoss()(z.sigmoid(), 1.0).backward()
    assert z.grad == 0.0


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bce_with_logits_finite_for_huge_scores(dtype):
    z = np.array([-1e4, -50.0, -20.0, 0.0, 20.0, 50.0, 1e4] * 2, dtype=dtype)
    y = np.repeat([0.0, 1.0], 7).astype(dtype)
    zt = Tensor(z, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(zt, Tensor(y), reduction="none")
    loss.sum().backward()
    assert np.isfinite(loss.data).all() and np.isfinite(zt.grad).all()
    sig = np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), 1 - 1 / (1 + np.exp(-np.abs(z))))
    np.testing.assert_allclose(zt.grad, sig - y, atol=1e-6)
    assert loss.data[0] == 0.0 and loss.data[7] == 1e4 and loss.data[6] == 1e4
    vs = [Value(float(v)) for v in z]
    v_loss = nn.BCEWithLogitsLoss(reduction="sum")(vs, y.tolist())
    v_loss.backward()
    assert np.isfinite(v_loss.data) and all(np.isfinite(v.grad) for v in vs)
    torch = pytest.importorskip("torch")
    zz = torch.tensor(z, requires_grad=True)
    theirs = torch.nn.functional.binary_cross_entropy_with_logits(
        zz, torch.tensor(y), reduction="none"
    )
    theirs.sum().backward()
    atol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(loss.data, theirs.detach().numpy(), rtol=1e-6, atol=atol)
    np.testing.assert_allclose(zt.grad, zz.grad.numpy(), rtol=1e-6, atol=atol)


# ---- 2. module files and state dicts --------------------------------------------------------


def small_net() -> nn.Module:
    manual_seed(0)
    return nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))


@pytest.mark.parametrize("name", ["x.NPZ", "x.Npz", "x.npz"])
def test_save_keeps_a_suffix_in_any_case(tmp_path, name):
    net = small_net()
    path = net.save(tmp_path / name)
    assert path == os.fspath(tmp_path / name)
    assert sorted(os.listdir(tmp_path)) == [name]
    copy = small_net()
    copy[0].weight.data[...] = 0.0
    copy.load(path)
    np.testing.assert_array_equal(copy[0].weight.data, net[0].weight.data)


def test_save_adds_the_suffix_when_missing(tmp_path):
    assert small_net().save(tmp_path / "net") == os.fspath(tmp_path / "net.npz")
    assert small_net().save(tmp_path / "net.NPZ.bak").endswith("net.NPZ.bak.npz")


@pytest.mark.parametrize(
    "bad,what",
    [
        (np.ones((3, 2)) + 1j, "complex"),
        (np.array([[1, 2]] * 3, dtype=object), "object"),
        (np.array([["a", "b"]] * 3), "str"),
        (np.array([[b"a", b"b"]] * 3), "bytes"),
    ],
    ids=["complex", "object", "str", "bytes"],
)
def test_load_state_dict_refuses_non_real_dtypes_naming_the_key(bad, what):
    net = small_net()
    before = net[0].weight.data.copy()
    state = net.state_dict()
    state["0.weight"] = bad
    with pytest.raises(TypeError, match=r"load_state_dict: .*'0\.weight'.*dtype"):
        net.load_state_dict(state)
    np.testing.assert_array_equal(net[0].weight.data, before)


def test_load_state_dict_refuses_non_real_scalar_values():
    mlp = nn.scalar.MLP(1, [1])
    state = mlp.state_dict()
    key = next(iter(state))
    state[key] = np.array(1 + 2j)
    with pytest.raises(TypeError, match=f"'{key}'"):
        mlp.load_state_dict(state)


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_load_state_dict_refuses_nan_and_inf_unless_allowed(value):
    net = small_net()
    before = net[0].bias.data.copy()
    state = net.state_dict()
    state["0.bias"][1] = value
    with pytest.raises(ValueError, match=r"load_state_dict: .*'0\.bias'.*(nan|inf)"):
        net.load_state_dict(state)
    np.testing.assert_array_equal(net[0].bias.data, before)
    net.load_state_dict(state, allow_nonfinite=True)
    assert not np.isfinite(net[0].bias.data[1])


def test_load_state_dict_refuses_values_that_overflow_the_parameter_dtype():
    net = small_net()
    state = {k: v.astype(np.float64) for k, v in net.state_dict().items()}
    state["2.bias"][0] = 1e300  # finite in float64, inf in the float32 parameter
    with pytest.raises(ValueError, match=r"'2\.bias'.*float32"):
        net.load_state_dict(state)
    state["2.bias"][0] = 0.5  # a float64 state that fits loads, cast to float32
    net.load_state_dict(state)
    assert net[2].bias.dtype == np.float32 and net[2].bias.data[0] == 0.5


def test_load_from_a_file_with_nan_names_file_and_key(tmp_path):
    net = small_net()
    state = net.state_dict()
    state["2.weight"][0, 0] = np.nan
    path = tmp_path / "nan.npz"
    np.savez(path, **state)
    with pytest.raises(ValueError, match=r"Module\.load.*nan\.npz.*'2\.weight'"):
        small_net().load(path)
    assert np.isnan(small_net().load(path, allow_nonfinite=True)[2].weight.data[0, 0])


# ---- 3. archives: headers first, corrupt files ----------------------------------------------


def write_member(zf: zipfile.ZipFile, name: str, header: dict, data_bytes: int) -> None:
    """One .npy member: a header, then ``data_bytes`` zero bytes streamed through deflate."""
    with zf.open(name, "w", force_zip64=True) as f:
        npy_format.write_array_header_1_0(f, header)
        chunk = bytes(1 << 20)
        left = data_bytes
        while left > 0:
            f.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)


def bomb(path, members: dict[str, tuple[tuple[int, ...], int]]) -> None:
    """An .npz whose members declare ``shape`` (float64) and hold ``data_bytes`` zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for key, (shape, data_bytes) in members.items():
            header = {"descr": "<f8", "fortran_order": False, "shape": shape}
            write_member(zf, key + ".npy", header, data_bytes)


def peak_bytes(fn) -> tuple[BaseException | None, int]:
    """Run ``fn``; return the exception it raised (or None) and its peak traced allocation."""
    tracemalloc.start()
    try:
        fn()
        error = None
    except Exception as e:  # noqa: BLE001 (the caller checks it)
        error = e
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return error, peak


BOMB_BYTES = 32 << 20  # inflates to 32 MiB from a file of about 32 KiB
GOOD = {"0.weight": ((3, 2), 48), "0.bias": ((3,), 24), "2.weight": ((1, 3), 24)}


def test_bomb_with_a_wrong_shape_is_refused_from_its_header(tmp_path):
    path = tmp_path / "bomb.npz"
    bomb(path, {**GOOD, "2.bias": ((BOMB_BYTES // 8,), BOMB_BYTES)})
    assert os.path.getsize(path) < 1 << 20
    net = small_net()
    error, peak = peak_bytes(lambda: net.load(path))
    assert isinstance(error, RuntimeError), error
    assert "size mismatch for 2.bias" in str(error) and "bomb.npz" in str(error)
    assert peak < 2 << 20, f"read {peak} bytes before refusing"


def test_bomb_with_the_right_shape_but_more_data_is_refused_unread(tmp_path):
    path = tmp_path / "bomb.npz"
    bomb(path, {**GOOD, "2.bias": ((1,), BOMB_BYTES)})  # the header says 8 bytes follow
    error, peak = peak_bytes(lambda: small_net().load(path))
    assert isinstance(error, ValueError), error
    assert "Module.load" in str(error) and "'2.bias'" in str(error) and "bomb.npz" in str(error)
    assert peak < 2 << 20, f"read {peak} bytes before refusing"


def test_unexpected_bomb_member_is_refused_or_skipped_unread(tmp_path):
    path = tmp_path / "bomb.npz"
    bomb(path, {**GOOD, "2.bias": ((1,), 8), "extra": ((BOMB_BYTES // 8,), BOMB_BYTES)})
    error, peak = peak_bytes(lambda: small_net().load(path))
    assert isinstance(error, RuntimeError) and "unexpected keys ['extra']" in str(error), error
    assert peak < 2 << 20
    net = small_net()
    error, peak = peak_bytes(lambda: net.load(path, strict=False))
    assert error is None and peak < 2 << 20
    assert np.all(net[0].weight.data == 0.0)


def test_header_of_a_huge_array_without_data_is_refused(tmp_path):
    path = tmp_path / "huge.npz"
    bomb(path, {**GOOD, "2.bias": ((10**12,), 0)})
    with pytest.raises(
        RuntimeError, match=r"size mismatch for 2\.bias: got shape \(1000000000000,\)"
    ):
        small_net().load(path)
    path = tmp_path / "short.npz"
    bomb(path, {**GOOD, "2.bias": ((1,), 0)})  # right shape, data missing
    with pytest.raises(ValueError, match=r"Module\.load.*short\.npz.*'2\.bias'"):
        small_net().load(path)


def corrupt_files(tmp_path) -> dict[str, str]:
    good = os.fspath(tmp_path / "good.npz")
    small_net().save(good)
    data = (tmp_path / "good.npz").read_bytes()
    files = {}

    def put(name: str, content: bytes) -> None:
        files[name] = os.fspath(tmp_path / f"{name}.npz")
        (tmp_path / f"{name}.npz").write_bytes(content)

    put("truncated", data[: len(data) // 2])
    put("empty", b"")
    put("text", b"these are not the weights you are looking for\n")
    put("pickle-like", b"\x80\x04\x95 not really a pickle")
    with zipfile.ZipFile(tmp_path / "member.npz", "w") as zf:
        zf.writestr("0.weight.txt", "1 2 3")
    files["non-npy member"] = os.fspath(tmp_path / "member.npz")
    state = {k: v.astype(object) for k, v in small_net().state_dict().items()}
    np.savez(tmp_path / "object.npz", **state)  # object arrays are pickled
    files["object arrays"] = os.fspath(tmp_path / "object.npz")
    # flip bytes inside the first member's compressed data (after its 30-byte local header)
    np.savez_compressed(tmp_path / "compressed.npz", **small_net().state_dict())
    raw = bytearray((tmp_path / "compressed.npz").read_bytes())
    for i in range(60, 90):
        raw[i] ^= 0xFF
    put("bad deflate", bytes(raw))
    raw = bytearray(data)
    at = raw.index(b"\x93NUMPY")
    raw[at : at + 6] = b"NOTNPY"
    put("bad npy magic", bytes(raw))
    return files


CORRUPT = [
    "truncated",
    "empty",
    "text",
    "pickle-like",
    "non-npy member",
    "object arrays",
    "bad deflate",
    "bad npy magic",
]


@pytest.mark.parametrize("kind", CORRUPT)
def test_corrupt_archives_give_one_clear_value_error(tmp_path, kind):
    path = corrupt_files(tmp_path)[kind]
    with pytest.raises(ValueError) as err:
        small_net().load(path)
    text = str(err.value)
    assert type(err.value) is ValueError  # not BadZipFile, EOFError or a pickling error
    assert text.startswith("Module.load: ") and os.path.basename(path) in text, text
    assert "allow_pickle" not in text


def test_load_keeps_the_model_when_it_refuses(tmp_path):
    net = small_net()
    before = {k: v.copy() for k, v in net.state_dict().items()}
    path = tmp_path / "half.npz"
    bomb(path, {**GOOD, "2.bias": ((1,), 0)})
    with pytest.raises(ValueError):
        net.load(path)
    for key, value in net.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


def test_load_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        small_net().load(tmp_path / "nothing.npz")


# ---- 4. arguments checked at construction or call ---------------------------------------------


def params():
    return [Tensor(np.zeros(2), requires_grad=True)]


BAD_ARGUMENTS = [
    ("Conv2d(padding=-1)", lambda: nn.Conv2d(1, 1, 3, padding=-1), ValueError,
     r"Conv2d: padding must be a non-negative int or a pair of them; got -1"),
    ("Conv2d(padding='bogus')", lambda: nn.Conv2d(1, 1, 3, padding="bogus"), ValueError,
     r"Conv2d: unknown padding; got 'bogus', expected"),
    ("Conv2d(padding='same', stride=2)", lambda: nn.Conv2d(1, 1, 3, 2, padding="same"),
     ValueError, r"Conv2d: padding='same' needs stride 1"),
    ("Conv2d(kernel_size=3.0)", lambda: nn.Conv2d(1, 1, 3.0), TypeError,
     r"Conv2d: kernel_size must be an int or a pair of ints; got 3\.0"),
    ("Conv2d(kernel_size=0)", lambda: nn.Conv2d(1, 1, 0), ValueError,
     r"Conv2d: kernel_size must be a positive int"),
    ("Conv2d(stride=(1, 0))", lambda: nn.Conv2d(1, 1, 3, stride=(1, 0)), ValueError,
     r"Conv2d: stride must be a positive int"),
    ("Conv2d(in_channels=2.0)", lambda: nn.Conv2d(2.0, 1, 3), TypeError,
     r"Conv2d: in_channels must be an int; got 2\.0"),
    ("MaxPool2d(0)", lambda: nn.MaxPool2d(0), ValueError,
     r"MaxPool2d: kernel_size must be a positive int"),
    ("MaxPool2d(2, stride=0)", lambda: nn.MaxPool2d(2, stride=0), ValueError,
     r"MaxPool2d: stride must be a positive int"),
    ("AvgPool2d(-1)", lambda: nn.AvgPool2d(-1), ValueError,
     r"AvgPool2d: kernel_size must be a positive int"),
    ("AvgPool2d('2')", lambda: nn.AvgPool2d("2"), TypeError,
     r"AvgPool2d: kernel_size must be an int or a pair of ints; got '2'"),
    ("Linear(0, 3)", lambda: nn.Linear(0, 3), ValueError,
     r"Linear: in_features must be a positive int; got 0"),
    ("Linear(2.5, 3)", lambda: nn.Linear(2.5, 3), TypeError,
     r"Linear: in_features must be an int; got 2\.5"),
    ("Linear(2, True)", lambda: nn.Linear(2, True), TypeError,
     r"Linear: out_features must be an int; got True"),
    ("Dropout(1.5)", lambda: nn.Dropout(1.5), ValueError,
     r"Dropout: p must be a probability in \[0, 1\]; got 1.5"),
    ("Dropout('0.5')", lambda: nn.Dropout("0.5"), TypeError,
     r"Dropout: p must be a number; got '0.5'"),
    ("SGD(lr=None)", lambda: optim.SGD(params(), lr=None), TypeError,
     r"SGD: lr must be a real number; got None"),
    ("SGD(lr=-1)", lambda: optim.SGD(params(), lr=-1), ValueError,
     r"SGD: lr must be non-negative; got -1"),
    ("SGD(lr=nan)", lambda: optim.SGD(params(), lr=float("nan")), ValueError,
     r"SGD: lr must be non-negative; got nan"),
    ("SGD(momentum='0.9')", lambda: optim.SGD(params(), lr=0.1, momentum="0.9"), TypeError,
     r"SGD: momentum must be a real number; got '0.9'"),
    ("SGD(model)", lambda: optim.SGD(nn.Linear(2, 2), lr=0.1), TypeError,
     r"SGD: params must be an iterable of parameters; got one Linear. Pass "
     r"model.parameters\(\)"),
    ("Adam(betas=(0.9,))", lambda: optim.Adam(params(), betas=(0.9,)), ValueError,
     r"Adam: betas must be a pair \(beta1, beta2\); got \(0.9,\)"),
    ("Adam(betas=0.9)", lambda: optim.Adam(params(), betas=0.9), TypeError,
     r"Adam: betas must be a pair \(beta1, beta2\); got 0.9"),
    ("Adam(betas=(1.5, 0.9))", lambda: optim.Adam(params(), betas=(1.5, 0.9)), ValueError,
     r"Adam: betas\[0\] must be in \[0, 1\); got 1.5"),
    ("AdamW(betas=(0.9, None))", lambda: optim.AdamW(params(), betas=(0.9, None)), TypeError,
     r"AdamW: betas\[1\] must be a real number; got None"),
    ("Adam(eps=-1)", lambda: optim.Adam(params(), eps=-1), ValueError,
     r"Adam: eps must be non-negative; got -1"),
    ("RMSprop(alpha=2)", lambda: optim.RMSprop(params(), alpha=2), ValueError,
     r"RMSprop: alpha must be in \[0, 1\]; got 2"),
    ("Adagrad(lr_decay=-1)", lambda: optim.Adagrad(params(), lr_decay=-1), ValueError,
     r"Adagrad: lr_decay must be non-negative; got -1"),
    ("Adadelta(rho=None)", lambda: optim.Adadelta(params(), rho=None), TypeError,
     r"Adadelta: rho must be a real number; got None"),
    ("SGD([])", lambda: optim.SGD([], lr=0.1), ValueError,
     r"SGD: got an empty parameter list"),
    ("Adam(iter([]))", lambda: optim.Adam(iter([])), ValueError,
     r"Adam: got an empty parameter list"),
    ("mse_loss(None, t)", lambda: F.mse_loss(None, Tensor([1.0])), TypeError,
     r"mse_loss: input must be a Tensor; got NoneType"),
    ("l1_loss(array, t)", lambda: F.l1_loss(np.ones(2), Tensor([1.0, 2.0])), TypeError,
     r"l1_loss: input must be a Tensor; got ndarray"),
    ("binary_cross_entropy([0.5], t)",
     lambda: F.binary_cross_entropy([0.5], Tensor([1.0])), TypeError,
     r"binary_cross_entropy: input must be a Tensor; got list"),
    ("binary_cross_entropy_with_logits(None)",
     lambda: F.binary_cross_entropy_with_logits(None, Tensor([1.0])), TypeError,
     r"binary_cross_entropy_with_logits: input must be a Tensor; got NoneType"),
    ("hinge_loss(1.0, t)", lambda: F.hinge_loss(1.0, Tensor([1.0])), TypeError,
     r"hinge_loss: input must be a Tensor; got float"),
    ("mse_loss(t, None)", lambda: F.mse_loss(Tensor([1.0]), None), TypeError,
     r"mse_loss: target must be a Tensor or an array; got NoneType"),
    ("mse_loss shapes", lambda: F.mse_loss(Tensor([1.0, 2.0]), Tensor([1.0, 2.0, 3.0])),
     ValueError, r"mse_loss: input and target shapes differ; got \(2,\) and \(3,\)"),
    ("MSELoss(t, str)", lambda: nn.MSELoss()(Tensor([1.0]), ["a"]), TypeError,
     r"mse_loss: target must hold numbers; got dtype <U1"),
    ("BCELoss shapes", lambda: nn.BCELoss()(Tensor([0.5]), Tensor([[1.0]])), ValueError,
     r"binary_cross_entropy: input and target shapes differ"),
    ("cross_entropy(None)", lambda: F.cross_entropy(None, [0]), TypeError,
     r"cross_entropy: logits must be a Tensor; got NoneType"),
    ("cross_entropy float targets (N,)",
     lambda: F.cross_entropy(Tensor(np.zeros((2, 3))), np.array([0.0, 2.0])), ValueError,
     r"cross_entropy: probability targets must have the logits' shape \(2, 3\); got \(2,\). "
     r"Integer class indices"),
    ("cross_entropy float targets (N, C+1)",
     lambda: F.cross_entropy(Tensor(np.zeros((2, 3))), np.zeros((2, 4))), ValueError,
     r"cross_entropy: probability targets must have the logits' shape"),
    ("cross_entropy index 3 of 3",
     lambda: F.cross_entropy(Tensor(np.zeros((2, 3))), np.array([0, 3])), ValueError,
     r"cross_entropy: class index out of range; got values in \[0, 3\], expected"),
    ("cross_entropy index -1",
     lambda: F.cross_entropy(Tensor(np.zeros((2, 3))), np.array([-1, 0])), ValueError,
     r"cross_entropy: class index out of range; got values in \[-1, 0\]"),
    ("cross_entropy single int out of range",
     lambda: F.cross_entropy(Tensor(np.zeros(3)), 5), ValueError,
     r"cross_entropy: class index out of range"),
    ("cross_entropy None target", lambda: F.cross_entropy(Tensor(np.zeros((2, 3))), None),
     TypeError, r"cross_entropy: target must hold int class indices or float probabilities"),
    ("hinge_loss(margin='a')",
     lambda: F.hinge_loss(Tensor([1.0]), Tensor([1.0]), margin="a"), TypeError,
     r"hinge_loss: margin must be a number; got 'a'"),
    ("dropout(training='yes')", lambda: F.dropout(Tensor([1.0]), 0.5, training="yes"),
     TypeError, r"dropout: training must be True or False; got 'yes'"),
    ("l1_penalty(None)", lambda: nn.l1_penalty(None), TypeError,
     r"l1_penalty: params must be a Module or an iterable of parameters; got NoneType"),
    ("Linear(3, 2)(None)", lambda: nn.Linear(3, 2)(None), TypeError,
     r"Linear: input must be a Tensor or an array of numbers; got NoneType"),
    ("Conv2d(...)(strings)", lambda: nn.Conv2d(1, 1, 3)([["a"]]), TypeError,
     r"Conv2d: input must be a Tensor or an array of numbers; got list"),
    ("load_state_dict(None)", lambda: nn.Linear(2, 1).load_state_dict(None), TypeError,
     r"Linear.load_state_dict: state_dict must be a mapping of names to arrays; got NoneType"),
    ("load_state_dict(ragged)",
     lambda: nn.Linear(2, 1).load_state_dict({"weight": [[1.0], [1.0, 2.0]], "bias": [0.0]}),
     TypeError, r"Linear.load_state_dict: entry 'weight' is not an array"),
    ("SGD([{'lr': 0.1}])", lambda: optim.SGD([{"lr": 0.1}], lr=0.1), TypeError,
     r"SGD: a parameter group must be a dict with a 'params' entry; got \['lr'\]"),
    ("MLP(0, 3, 1)", lambda: nn.MLP(0, 3, 1), ValueError,
     r"MLP: in_features must be a positive int; got 0"),
    ("MLP(2, '3', 1)", lambda: nn.MLP(2, "3", 1), TypeError,
     r"MLP: hidden width must be an int; got '3'"),
    ("MLP(dropout=1.5)", lambda: nn.MLP(2, 3, 1, dropout=1.5), ValueError,
     r"MLP: dropout must be a probability in \[0, 1\]; got 1.5"),
    ("LeNet(num_classes=0)", lambda: nn.LeNet(num_classes=0), ValueError,
     r"LeNet: num_classes must be a positive int; got 0"),
    ("LeNet(channels=6)", lambda: nn.LeNet(channels=6), TypeError,
     r"LeNet: channels must be a pair of ints; got 6"),
    ("CrossEntropyLoss bool targets",
     lambda: nn.CrossEntropyLoss()(Tensor(np.zeros((2, 3))), np.array([True, False])),
     TypeError, r"cross_entropy: target must hold int class indices or float probabilities; "
     r"got dtype bool"),
]  # fmt: skip


@pytest.mark.parametrize(
    "make,error,message", [c[1:] for c in BAD_ARGUMENTS], ids=[c[0] for c in BAD_ARGUMENTS]
)
def test_bad_arguments_fail_early_with_a_clear_error(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_valid_padding_forms_still_work():
    x = np.zeros((1, 1, 5, 5))
    for padding, side in [(0, 3), (1, 5), ((1, 0), None), ("same", 5), ("valid", 3)]:
        out = nn.Conv2d(1, 1, 3, padding=padding)(x)
        assert side is None or out.shape[-1] == side
    assert nn.Conv2d(1, 1, np.int64(3)).kernel_size == (3, 3)
    assert nn.MaxPool2d((2, 1))(x).shape == (1, 1, 2, 5)
    assert nn.Linear(np.int32(2), 3).in_features == 2
    assert optim.SGD(params(), lr=np.float32(0.1)).param_groups[0]["lr"] == pytest.approx(0.1)
    assert optim.Adam(params(), betas=[0.8, 0.9]).param_groups[0]["betas"] == (0.8, 0.9)


# ---- 5. a diverging run stops at its first non-finite loss ------------------------------------


def diverging_run(**kwargs):
    manual_seed(0)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3)).astype(np.float32)
    y = (X @ np.array([[1.0], [-2.0], [0.5]])).astype(np.float32)
    net = nn.Linear(3, 1)
    loader = nn.data.DataLoader(X, y, batch_size=16, shuffle=False)
    opt = optim.SGD(net.parameters(), lr=1e6)

    def run():
        with np.errstate(over="ignore", invalid="ignore"):  # float32 overflows on the way
            return nn.fit(net, nn.MSELoss(), opt, loader, epochs=5, progress=False, **kwargs)

    return net, run


def test_fit_stops_at_the_first_non_finite_loss():
    net, run = diverging_run()
    with pytest.raises(RuntimeError) as err:
        run()
    text = str(err.value)
    assert text.startswith("nn.fit: the training loss is ")
    assert "epoch 1, batch " in text and "learning rate" in text
    assert isinstance(err.value, nn.training.Diverged)
    assert err.value.epoch == 1 and len(err.value.history) == 0
    assert np.isfinite(net.weight.data).all()  # the step after the bad loss never ran


def test_fit_trains_on_through_nan_when_asked():
    _, run = diverging_run(stop_on_nan=False)
    history = run()
    assert len(history) == 5 and np.isnan(history["loss"][-1])


def test_fit_without_progress_never_builds_a_bar(monkeypatch):
    # tqdm's class lock, left held by a Ctrl-C inside the bar, would hang later fits in any thread
    import tqdm.auto

    def no_bar(*args, **kwargs):
        raise AssertionError("fit(progress=False) built a tqdm bar")

    monkeypatch.setattr(tqdm.auto, "tqdm", no_bar)
    X = np.zeros((4, 2), np.float32)
    history = nn.fit(
        nn.Linear(2, 1),
        nn.MSELoss(),
        optim.SGD(nn.Linear(2, 1).parameters()),
        (X, np.zeros((4, 1), np.float32)),
        epochs=2,
        progress=False,
    )
    assert len(history) == 2


def test_fit_leaves_the_model_training_when_validation_fails():
    class Fragile(nn.Module):  # fails only in evaluation mode
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(2, 1)

        def forward(self, x):
            if not self.training:
                raise KeyboardInterrupt
            return self.lin(x)

    model = Fragile()
    X, y = np.zeros((4, 2), np.float32), np.zeros((4, 1), np.float32)
    with pytest.raises(KeyboardInterrupt):
        nn.fit(
            model,
            nn.MSELoss(),
            optim.SGD(model.parameters()),
            (X, y),
            epochs=1,
            val=(X, y),
            progress=False,
        )
    assert model.training and model.lin.training
