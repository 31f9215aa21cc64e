"""PyTorch habits for dtypes, devices, factories, conversions and indexing, against torch."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Tensor

torch = pytest.importorskip("torch")


def name(dtype: Any) -> str:
    """'int64' for torch.int64 and for np.dtype('int64')."""
    return str(dtype).removeprefix("torch.")


def twin(values: Any, torch_dtype: Any = None) -> Any:
    return torch.tensor(np.asarray(values), dtype=torch_dtype)


# ---- autograd.tensor infers dtypes like torch.tensor ---------------------------------------------

DATA = [
    [1, 2],
    7,
    True,
    [True, False],
    [True, 1],
    [1, 2.5],
    3.5,
    [[1, 2], [3, 4]],
    np.float64(1.0),
    np.int32(3),
    np.array([1, 2], np.int16),
    np.array([1.0], np.float64),
    [],
]


@pytest.mark.parametrize("data", DATA, ids=[repr(d) for d in DATA])
def test_tensor_infers_the_dtype_torch_infers(data: Any) -> None:
    ours, theirs = ag.tensor(data), torch.tensor(data)
    assert name(ours.dtype) == name(theirs.dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_the_class_constructor_stays_float_like_torch_Tensor() -> None:
    assert name(Tensor([1, 2]).dtype) == name(torch.Tensor([1, 2]).dtype) == "float32"


def test_tensor_refuses_what_torch_tensor_refuses() -> None:
    with pytest.raises(ValueError, match="tensor: integer out of range for int64"):
        ag.tensor(2**63)
    with pytest.raises((ValueError, RuntimeError, OverflowError)):
        torch.tensor(2**63)
    with pytest.raises(TypeError, match="only floating-point tensors can require grad"):
        ag.tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError):
        torch.tensor([1, 2], requires_grad=True)


DTYPE_NAMES = ["float16", "float32", "float64", "half", "float", "double"]
DTYPE_NAMES += ["int8", "int16", "int32", "int64", "short", "int", "long", "uint8", "bool"]


@pytest.mark.parametrize("attr", DTYPE_NAMES)
def test_module_dtype_names_match_torch(attr: str) -> None:
    dtype = getattr(ag, attr)
    assert name(dtype) == name(getattr(torch, attr))
    assert name(ag.zeros(2, dtype=dtype).dtype) == name(
        torch.zeros(2, dtype=getattr(torch, attr)).dtype
    )


@pytest.mark.parametrize("python_type", [float, int, bool])
def test_python_types_as_dtypes_match_torch(python_type: type) -> None:
    assert name(ag.ones(2, dtype=python_type).dtype) == name(torch.ones(2, dtype=python_type).dtype)


def test_star_import_keeps_the_builtins() -> None:
    namespace: dict[str, Any] = {}
    exec("from autograd import *", namespace)
    assert not {"bool", "float", "int"} & set(namespace)


# ---- conversions ---------------------------------------------------------------------------------

VALUES = [-1.7, 0.0, 2.5, 3.0]
CONVERSIONS = ["long", "int", "float", "double", "bool", "half", "short", "byte", "char"]


@pytest.mark.parametrize("method", CONVERSIONS)
def test_conversions_match_torch(method: str) -> None:
    x = Tensor(VALUES, requires_grad=True)
    t = torch.tensor(VALUES, requires_grad=True)
    ours, theirs = getattr(x, method)(), getattr(t, method)()
    assert name(ours.dtype) == name(theirs.dtype)
    values = VALUES if method != "byte" else [abs(v) for v in VALUES]  # -1.7 as uint8: undefined
    np.testing.assert_array_equal(
        getattr(Tensor(values), method)().numpy(), getattr(torch.tensor(values), method)().numpy()
    )
    assert ours.requires_grad == theirs.requires_grad


@pytest.mark.parametrize("method", CONVERSIONS)
def test_type_names_are_torchs_with_our_prefix(method: str) -> None:
    ours = getattr(Tensor(VALUES), method)().type()
    assert ours == getattr(torch.tensor(VALUES), method)().type().replace("torch.", "autograd.")


def test_type_converts_like_torch() -> None:
    x, t = Tensor(VALUES), torch.tensor(VALUES)
    assert x.type(ag.int64).tolist() == t.type(torch.int64).tolist()
    assert x.type("autograd.DoubleTensor").dtype == np.float64
    assert x.type(ag.float32) is x and t.type(torch.float32) is t
    assert x.type_as(Tensor([1])).dtype == np.float32
    with pytest.raises(ValueError, match="'autograd.FloatTensor'"):
        x.type("torch.FloatTensor")


def test_conversion_to_float_keeps_the_gradient() -> None:
    x = Tensor(VALUES, requires_grad=True)
    t = torch.tensor(VALUES, requires_grad=True)
    (x.to(ag.float64) * 3).sum().backward()
    (t.to(torch.float64) * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, t.grad.numpy())


# ---- devices and to() ----------------------------------------------------------------------------

TO_FORMS = [
    ("dtype", lambda m: (m.float64,), {}),
    ("device", lambda m: ("cpu",), {}),
    ("device index", lambda m: ("cpu:0",), {}),
    ("device and dtype", lambda m: ("cpu", m.int64), {}),
    ("keywords", lambda m: (), {"device": "cpu", "dtype": "float64"}),
    ("device object", lambda m: (m.device("cpu"),), {}),
    ("non_blocking", lambda m: (m.float64,), {"non_blocking": True}),
    ("copy", lambda m: ("cpu",), {"copy": True}),
    ("other tensor", lambda m: (m.ones(2, dtype=m.int64),), {}),
    ("same dtype", lambda m: (m.float32,), {}),
    ("nothing", lambda m: (), {}),
]


@pytest.mark.parametrize("form, args, kwargs", TO_FORMS, ids=[f[0] for f in TO_FORMS])
def test_to_matches_torch(form: str, args: Any, kwargs: dict[str, Any]) -> None:
    x, t = Tensor(VALUES), torch.tensor(VALUES)
    if "dtype" in kwargs:
        kw_torch = {**kwargs, "dtype": getattr(torch, kwargs["dtype"])}
    else:
        kw_torch = kwargs
    ours, theirs = x.to(*args(ag), **kwargs), t.to(*args(torch), **kw_torch)
    assert name(ours.dtype) == name(theirs.dtype)
    if form != "device index":  # torch copies for 'cpu:0' (a quirk); the same tensor here
        assert (ours is x) == (theirs is t)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("device", ["cuda", "cuda:0", "mps", 0])
def test_other_devices_are_refused_by_name(device: Any) -> None:
    x = Tensor(VALUES)
    with pytest.raises(RuntimeError, match="grafograd runs on the CPU only; got device 'c|m"):
        x.to(device)
    with pytest.raises(RuntimeError, match="CPU only"):
        x.to(device=device)
    with pytest.raises((RuntimeError, AssertionError)):  # torch without CUDA or MPS refuses too
        torch.tensor(VALUES).to(device)


def test_cpu_attributes_match_torch() -> None:
    x, t = Tensor(VALUES), torch.tensor(VALUES)
    assert str(x.device) == str(t.device) == "cpu" and x.device.type == t.device.type
    assert x.device == "cpu" and x.device == ag.device("cpu:0")
    assert x.is_cuda is t.is_cuda is False
    assert x.cpu() is x and t.cpu() is t
    assert ag.cuda.is_available() is torch.cuda.is_available() is False
    assert ag.cuda.device_count() == 0
    with pytest.raises(
        RuntimeError, match="cuda: grafograd runs on the CPU only; got device 'cuda'"
    ):
        x.cuda()
    with pytest.raises(RuntimeError, match="device: grafograd runs on the CPU only"):
        ag.device("cuda")
    device = ag.device("cuda" if ag.cuda.is_available() else "cpu")  # the tutorials' idiom
    assert x.to(device) is x


FACTORIES = [
    ("tensor", lambda m, **kw: m.tensor([1.0], **kw)),
    ("zeros", lambda m, **kw: m.zeros(2, **kw)),
    ("ones", lambda m, **kw: m.ones(2, **kw)),
    ("empty", lambda m, **kw: m.empty(2, **kw)),
    ("full", lambda m, **kw: m.full((2,), 1.0, **kw)),
    ("rand", lambda m, **kw: m.rand(2, **kw)),
    ("randn", lambda m, **kw: m.randn(2, **kw)),
    ("randint", lambda m, **kw: m.randint(0, 3, (2,), **kw)),
    ("randperm", lambda m, **kw: m.randperm(4, **kw)),
    ("as_tensor", lambda m, **kw: m.as_tensor([1, 2], **kw)),
    ("arange", lambda m, **kw: m.arange(3, **kw)),
    ("linspace", lambda m, **kw: m.linspace(0, 1, 3, **kw)),
    ("eye", lambda m, **kw: m.eye(2, **kw)),
    ("normal", lambda m, **kw: m.normal(0.0, 1.0, (2,), **kw)),
    ("zeros_like", lambda m, **kw: m.zeros_like(m.ones(2), **kw)),
    ("ones_like", lambda m, **kw: m.ones_like(m.ones(2), **kw)),
    ("full_like", lambda m, **kw: m.full_like(m.ones(2), 3.0, **kw)),
    ("rand_like", lambda m, **kw: m.rand_like(m.ones(2), **kw)),
    ("randn_like", lambda m, **kw: m.randn_like(m.ones(2), **kw)),
]


@pytest.mark.parametrize("api, make", FACTORIES, ids=[f[0] for f in FACTORIES])
def test_factories_take_device_like_torch(api: str, make: Any) -> None:
    ours, theirs = make(ag, device="cpu"), make(torch, device="cpu")
    assert ours.shape == tuple(theirs.shape) and name(ours.dtype) == name(theirs.dtype)
    assert make(ag, device=ag.device("cpu")).shape == ours.shape
    with pytest.raises(
        RuntimeError, match=f"^{api}: grafograd runs on the CPU only; got device 'cuda'"
    ):
        make(ag, device="cuda")


# ---- factories -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, steps", [(0, 1, 5), (1, 0, 3), (-2.5, 7, 8), (0, 1, 1), (0, 1, 0), (3, 3, 4)]
)
def test_linspace_matches_torch(start: float, end: float, steps: int) -> None:
    np.testing.assert_allclose(
        ag.linspace(start, end, steps).numpy(), torch.linspace(start, end, steps).numpy(), atol=1e-6
    )
    ours = ag.linspace(start, end, steps, dtype=ag.float64).numpy()
    np.testing.assert_allclose(ours, np.linspace(start, end, steps), rtol=1e-14, atol=1e-14)


def test_linspace_ints_and_errors_match_torch() -> None:
    assert (
        ag.linspace(0, 10, 5, dtype=ag.int64).tolist()
        == torch.linspace(0, 10, 5, dtype=torch.int64).tolist()
    )
    with pytest.raises(ValueError, match="linspace: number of steps must be non-negative"):
        ag.linspace(0, 1, -1)
    with pytest.raises(RuntimeError):
        torch.linspace(0, 1, -1)
    with pytest.raises(TypeError, match="linspace: steps must be an int"):
        ag.linspace(0, 1, 2.5)
    with pytest.raises(TypeError):
        torch.linspace(0, 1, 2.5)


@pytest.mark.parametrize("fill", [7, True, 7.0, -2])
def test_full_infers_the_dtype_like_torch(fill: Any) -> None:
    ours, theirs = ag.full((2, 3), fill), torch.full((2, 3), fill)
    assert name(ours.dtype) == name(theirs.dtype)
    assert ours.tolist() == theirs.tolist()
    assert ag.full([2], fill, dtype=ag.float64).dtype == np.float64


@pytest.mark.parametrize("args", [(3,), (1, 4), (0, 1, 0.25), (0.0, 3), (5, 0, -2), (2, 9, 3)])
def test_arange_infers_the_dtype_like_torch(args: tuple) -> None:
    ours, theirs = ag.arange(*args), torch.arange(*args)
    assert name(ours.dtype) == name(theirs.dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_sizes_by_keyword_like_torch() -> None:
    for api in ("zeros", "ones", "rand", "randn", "empty"):
        assert getattr(ag, api)(size=(2, 3)).shape == tuple(getattr(torch, api)(size=(2, 3)).shape)
        with pytest.raises(TypeError, match=f"{api}: give the sizes once"):
            getattr(ag, api)(2, size=(3,))
    assert ag.empty(2, 3).tolist() == [[0.0] * 3] * 2  # zeros here, documented


def test_eye_matches_torch() -> None:
    for args in [(2,), (2, 3), (3, 1), (0,)]:
        np.testing.assert_array_equal(ag.eye(*args).numpy(), torch.eye(*args).numpy())
    assert name(ag.eye(2, dtype=ag.int64).dtype) == "int64"
    with pytest.raises(ValueError, match="eye: sizes must be non-negative"):
        ag.eye(-1)
    with pytest.raises(RuntimeError):
        torch.eye(-1)


def test_randint_forms_and_seeding() -> None:
    ag.manual_seed(3)
    a = ag.randint(10, (1000,))
    ag.manual_seed(3)
    assert (ag.randint(0, 10, (1000,)).numpy() == a.numpy()).all()
    assert name(a.dtype) == name(torch.randint(10, (3,)).dtype)
    assert set(a.tolist()) == set(range(10))
    assert ag.randint(2, size=(50,)).numpy().max() <= 1
    assert tuple(torch.randint(2, size=(50,)).shape) == (50,)
    b = ag.randint(low=-2, high=1, size=(500,))
    assert set(b.tolist()) == {-2, -1, 0}
    assert ag.randint(5, (2,), dtype=ag.float32).dtype == np.float32
    for args, error in [
        ((3, 5), TypeError),
        ((5, 3, (2,)), ValueError),
        ((0, 1.5, (2,)), TypeError),
    ]:
        with pytest.raises(error, match="^randint: "):
            ag.randint(*args)
        with pytest.raises((TypeError, RuntimeError)):
            torch.randint(*args)


def test_normal_forms_match_torch() -> None:
    forms = [
        (lambda m: m.normal(2.0, 3.0, (2, 3)), lambda m: m.normal(2.0, 3.0, size=(2, 3))),
        (lambda m: m.normal(m.zeros(3), 1.0), None),
        (lambda m: m.normal(0.0, m.ones(3)), None),
        (lambda m: m.normal(m.zeros(3), m.ones(2, 3)), None),
        (lambda m: m.normal(m.zeros(3, dtype=m.float64), 1.0), None),
        (lambda m: m.normal(mean=m.zeros(3), std=1.0), None),
    ]
    for form, _ in forms:
        ours, theirs = form(ag), form(torch)
        assert ours.shape == tuple(theirs.shape) and name(ours.dtype) == name(theirs.dtype)
    refused = [
        lambda m: m.normal(0.0, 1.0),
        lambda m: m.normal(m.zeros(3), 1.0, size=(3,)),
        lambda m: m.normal(m.zeros(3), -1.0),
        lambda m: m.normal(0.0, -1.0, size=(2,)),
        lambda m: m.normal(m.zeros(3, dtype=m.int64), 1.0),
    ]
    for form in refused:
        with pytest.raises((TypeError, ValueError), match="^normal: "):
            form(ag)
        with pytest.raises((TypeError, RuntimeError, NotImplementedError)):
            form(torch)


def test_normal_draws_have_the_moments_and_the_seed() -> None:
    ag.manual_seed(0)
    x = ag.normal(2.0, 3.0, (200_000,), dtype=ag.float64).numpy()
    assert abs(x.mean() - 2.0) < 0.03 and abs(x.std() - 3.0) < 0.03
    mean = Tensor(np.array([-5.0, 0.0, 5.0]))
    ag.manual_seed(1)
    y = ag.normal(mean, Tensor(np.array([0.0, 1.0, 0.0]))).numpy()
    assert y[0] == -5.0 and y[2] == 5.0
    ag.manual_seed(1)
    assert (ag.normal(mean, Tensor(np.array([0.0, 1.0, 0.0]))).numpy() == y).all()


def test_normal_passes_zero_gradients_like_torch() -> None:
    m, s = Tensor(np.zeros(3), requires_grad=True), Tensor(np.ones(3), requires_grad=True)
    tm, ts = torch.zeros(3, requires_grad=True), torch.ones(3, requires_grad=True)
    ag.normal(m, s).sum().backward()
    torch.normal(tm, ts).sum().backward()
    np.testing.assert_array_equal(m.grad, tm.grad.numpy())
    np.testing.assert_array_equal(s.grad, ts.grad.numpy())


def test_from_numpy_shares_memory_and_dtype_like_torch() -> None:
    for dtype in (np.int32, np.float64, np.bool_, np.uint8):
        a = np.zeros(3, dtype)
        ours, theirs = ag.from_numpy(a), torch.from_numpy(a)
        assert name(ours.dtype) == name(theirs.dtype)
        a[1] = 1
        assert ours.tolist() == theirs.tolist() and ours.numpy() is a
    with pytest.raises(TypeError, match="from_numpy: expected np.ndarray; got list"):
        ag.from_numpy([1, 2])
    with pytest.raises(TypeError):
        torch.from_numpy([1, 2])
    with pytest.raises(TypeError, match="from_numpy: unsupported dtype"):
        ag.from_numpy(np.array(["a"]))


# ---- integer and bool tensors as indices, masks and labels ---------------------------------------


def test_integer_tensors_index_python_sequences_like_torch() -> None:
    items = [10, 20, 30]
    for make in (lambda m: m.tensor(1), lambda m: m.tensor([2]), lambda m: m.tensor([[0]])):
        assert items[make(ag)] == items[make(torch)]
    assert items[ag.tensor(True)] == items[torch.tensor(True)]
    assert list(range(ag.tensor(3))) == list(range(torch.tensor(3)))
    for bad in (Tensor(1.0), ag.tensor([1, 2])):
        with pytest.raises(TypeError, match="only integer tensors of a single element"):
            items[bad]


def test_float_and_unsigned_index_tensors_say_how_to_convert() -> None:
    x = Tensor(np.arange(3.0))
    with pytest.raises(TypeError, match=r"getitem: .*dtype float32.*\.long\(\)"):
        x[Tensor([0.0, 1.0])]
    with pytest.raises(IndexError):
        torch.arange(3.0)[torch.tensor([0.0, 1.0])]
    # numpy reads uint8 as indices, PyTorch as a mask: refused, with both conversions named
    with pytest.raises(TypeError, match=r"getitem: .*uint8.*\.bool\(\) for a mask.*\.long\(\)"):
        x[Tensor(np.array([1, 0, 1], np.uint8))]


def test_masks_select_and_multiply_like_torch() -> None:
    values = np.array([[-1.0, 2.0, 0.5], [3.0, -4.0, 0.0]])
    x, t = Tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    mask, tmask = x > 0, t > 0
    assert name(mask.dtype) == name(tmask.dtype)
    np.testing.assert_array_equal(x[mask].numpy(), t[tmask].detach().numpy())
    np.testing.assert_array_equal((x * mask).numpy(), (t * tmask).detach().numpy())
    ((x[mask] * 2).sum() + (x * mask).sum()).backward()
    ((t[tmask] * 2).sum() + (t * tmask).sum()).backward()
    np.testing.assert_array_equal(x.grad, t.grad.numpy())


def test_int64_tensors_are_labels() -> None:
    logits = np.random.default_rng(0).standard_normal((4, 3))
    labels = [0, 2, 1, 1]
    x, t = Tensor(logits, requires_grad=True), torch.tensor(logits, requires_grad=True)
    ours = nn.functional.cross_entropy(x, ag.tensor(labels))
    theirs = torch.nn.functional.cross_entropy(t, torch.tensor(labels))
    ours.backward()
    theirs.backward()
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-12)
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-10)
    assert nn.metrics.accuracy(ag.tensor(labels), x.numpy().argmax(1)) == (
        (t.argmax(1) == torch.tensor(labels)).float().mean().item()
    )


# ---- indexing: PyTorch's result where it differs from numpy's ------------------------------------

IDX = np.array([0, 2])
PARTS = {
    "0": 0,
    "-1": -1,
    ":": slice(None),
    "1:3": slice(1, 3),
    "None": None,
    "...": Ellipsis,
    "idx": IDX,
    "idx2d": np.array([[0, 1], [2, 0]]),
    "mask3": np.array([True, False, True]),
    "mask4": np.array([True, False, True, False]),
    "0-d": np.array(1),
    "True": True,
    "False": False,
    "list": [1, 0],
}


def _part(p: Any, module: Any) -> Any:
    return (Tensor(p) if module is ag else torch.tensor(p)) if isinstance(p, np.ndarray) else p


def _keys() -> list[tuple[str, ...]]:
    keys = []
    for n in (1, 2, 3):
        keys += [k for k in itertools.product(PARTS, repeat=n) if k.count("...") <= 1]
    return keys


@pytest.mark.parametrize("shape", [(3, 4, 5), (3, 4)])
def test_every_index_form_gives_torchs_values_and_gradients(shape: tuple[int, ...]) -> None:
    data = np.arange(float(np.prod(shape))).reshape(shape)
    failures = []
    for names in _keys():
        parts = [PARTS[n] for n in names]
        x, t = Tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
        try:
            theirs = t[tuple(_part(p, torch) for p in parts)]
        except (IndexError, RuntimeError, TypeError, ValueError):
            with pytest.raises((IndexError, TypeError, ValueError)):
                x[tuple(_part(p, ag) for p in parts)]
            continue
        ours = x[tuple(_part(p, ag) for p in parts)]
        if ours.shape != tuple(theirs.shape) or not (ours.numpy() == theirs.detach().numpy()).all():
            failures.append((names, ours.shape, tuple(theirs.shape)))
            continue
        g = np.random.default_rng(len(failures)).standard_normal(ours.shape)
        ours.backward(g)
        theirs.backward(torch.tensor(g))
        if not (x.grad == t.grad.numpy()).all():
            failures.append((names, "gradient"))
    assert not failures, failures[:10]


def test_the_issue_example_and_the_numpy_layout() -> None:
    x = Tensor(np.zeros((3, 4, 5)))
    assert (
        x[0, :, IDX].shape == (4, 2) == tuple(torch.zeros(3, 4, 5)[0, :, torch.tensor(IDX)].shape)
    )
    assert np.zeros((3, 4, 5))[0, :, IDX].shape == (2, 4)  # what numpy alone would give


def test_setitem_follows_torch_where_numpy_differs() -> None:
    x = ag.zeros(3, 4, 5)
    t = torch.zeros(3, 4, 5)
    value = np.arange(8.0).reshape(4, 2)  # torch's (4, 2) layout; numpy's would be (2, 4)
    x[0, :, ag.tensor([0, 2])] = value
    t[0, :, torch.tensor([0, 2])] = torch.tensor(value, dtype=torch.float32)
    np.testing.assert_array_equal(x.numpy(), t.numpy())
    x[ag.tensor([1, 2]), 1:3] = 2.0  # numpy's layout is PyTorch's here
    t[torch.tensor([1, 2]), 1:3] = 2.0
    np.testing.assert_array_equal(x.numpy(), t.numpy())


# Index forms of tinygrad's test_ops.py (fancy indexing with ints, None, lists and tuples).
FANCY = [
    lambda x, a, b, c, d, e: x[a, b, c, d, e],
    lambda x, a, b, c, d, e: x[:, b, c, d, :],
    lambda x, a, b, c, d, e: x[a, b, ...],
    lambda x, a, b, c, d, e: x[a, ..., e],
    lambda x, a, b, c, d, e: x[..., c, :, e],
    lambda x, a, b, c, d, e: x[1, b, c, d, e],
    lambda x, a, b, c, d, e: x[a, b, 3, d, e],
    lambda x, a, b, c, d, e: x[1, b, 2, d, 2],
    lambda x, a, b, c, d, e: x[a, 2, 2, 2, e],
    lambda x, a, b, c, d, e: x[1, :, 3:11:2, d, 0:2],
    lambda x, a, b, c, d, e: x[None, b, c, d, e],
    lambda x, a, b, c, d, e: x[a, b, None, d, e],
    lambda x, a, b, c, d, e: x[a, :, None, d, e],
    lambda x, a, b, c, d, e: x[None, None, b, c, None, None],
    lambda x, a, b, c, d, e: x[a, None, None, c, None, None],
    lambda x, a, b, c, d, e: x[1, b, None, d, 1],
    lambda x, a, b, c, d, e: x[None, b, 2, d, None],
    lambda x, a, b, c, d, e: x[..., 1, d, None],
    lambda x, a, b, c, d, e: x[(0,), b, c, d, :],
    lambda x, a, b, c, d, e: x[[[[0]]], b, c, d, [[1]]],
    lambda x, a, b, c, d, e: x[(1, 0, -1), b, c, d, :],
    lambda x, a, b, c, d, e: x[a, b, c, [[1], [2], [3]], ...],
    lambda x, a, b, c, d, e: x[a, (2, 1, 0), c, (-2, 1, 0), e],
    lambda x, a, b, c, d, e: x[a, ((2,), (1,), (0,)), c, (2, 1, 0)],
    lambda x, a, b, c, d, e: x[1, (2, 1, 0), None, c, (2, 1, 0), e],
    lambda x, a, b, c, d, e: x[(a, (1, 1))],
    lambda x, a, b, c, d, e: x[[True, False, 1]],
]


@pytest.mark.parametrize("form", range(len(FANCY)))
def test_fancy_indexing_matches_torch(form: int) -> None:
    rng = np.random.default_rng(form)
    data = rng.standard_normal((2, 5, 6, 5, 3, 4))
    shapes = [(2, 1, 1, 1, 1, 1), (1, 3, 1, 1, 1, 1), (1, 1, 4, 1, 1, 1), (2, 1, 1, 5, 1, 1)]
    bounds = [(-1, 1), (0, 1), (-5, 5), (0, 4), (0, 1)]
    indices = [
        rng.integers(lo, hi, s) for (lo, hi), s in zip(bounds, [*shapes, (1, 1, 1, 1, 6, 1)])
    ]
    x, t = Tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    ours = FANCY[form](x, *[Tensor(i) for i in indices])
    theirs = FANCY[form](t, *[torch.tensor(i) for i in indices])
    np.testing.assert_array_equal(ours.numpy(), theirs.detach().numpy())
    g = rng.standard_normal(ours.shape)
    ours.backward(g)
    theirs.backward(torch.tensor(g))
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("key", ["broadcast", "deeper"])
def test_index_arrays_that_do_not_broadcast_are_refused_like_torch(key: str) -> None:
    shapes = [(3, 1, 1, 1), (1, 4, 1, 1), (2, 4, 4, 1)] if key == "broadcast" else [(3, 1), (4, 2)]
    parts = [np.zeros(s, np.int64) for s in shapes]
    with pytest.raises(IndexError, match="getitem: bad index"):
        ag.ones(10, 11, 12)[tuple(Tensor(p) for p in parts)]
    with pytest.raises(IndexError):
        torch.ones(10, 11, 12)[tuple(torch.tensor(p) for p in parts)]


def test_factory_cases_of_tinygrad_match_torch() -> None:
    for args in [(5, 10, 3), (5, 10, 1), (5, 10, 0), (5, 10, 30), (-5.5, 5.5, 10), (5.5, -5.5, 10)]:
        np.testing.assert_allclose(
            ag.linspace(*args).numpy(), torch.linspace(*args).numpy(), rtol=1e-6, atol=1e-6
        )
    for args in [(5, 10, 3), (5, 10, 20), (5, -5, 20)]:
        ours, theirs = ag.linspace(*args, dtype=ag.int32), torch.linspace(*args, dtype=torch.int32)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    for args in [
        (10,),
        (5, 10, 3),
        (10, 5, -3),
        (11, 5, -3),
        (5.5, 175.5, 2.5),
        (-30.2, -0.3, 0.75),
    ]:
        np.testing.assert_allclose(ag.arange(*args).numpy(), torch.arange(*args).numpy(), rtol=1e-6)
    for args in [(128,), (-128, 128), (127, -129, -1)]:
        ours, theirs = ag.arange(*args, dtype=ag.int8), torch.arange(*args, dtype=torch.int8)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    for n, m in [(10, None), (3, 5), (5, 3), (1, None), (0, None)]:
        np.testing.assert_array_equal(
            ag.eye(n, m).numpy(), torch.eye(n, *([m] if m else [])).numpy()
        )
    ints = ag.tensor([[1, 2, 3], [4, 5, 6]], dtype=ag.int32)
    theirs = torch.full_like(torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=torch.int32), 4)
    assert ag.full_like(ints, 4).tolist() == theirs.tolist()
    assert name(ag.full_like(ints, 4).dtype) == name(theirs.dtype)
    for make in (ag.zeros, ag.ones, ag.rand, ag.randn, ag.empty):
        for size in [(-3, 2), ((2, -3),), ((2, -3, 0),)]:
            with pytest.raises(ValueError, match="sizes must be non-negative"):
                make(*size)
    for args in [(-3, 3), (3, -3)]:
        with pytest.raises(ValueError, match="eye: sizes must be non-negative"):
            ag.eye(*args)
    with pytest.raises(ValueError, match="full: sizes must be non-negative"):
        ag.full((2, -3), 4)


def test_randperm_is_a_seeded_permutation_like_torch() -> None:
    ag.manual_seed(5)
    p = ag.randperm(50)
    assert sorted(p.tolist()) == list(range(50)) and p.tolist() != list(range(50))
    ag.manual_seed(5)
    assert ag.randperm(50).tolist() == p.tolist()
    assert name(p.dtype) == name(torch.randperm(3).dtype)
    assert ag.randperm(0).tolist() == torch.randperm(0).tolist() == []
    assert name(ag.randperm(3, dtype=ag.float32).dtype) == "float32"
    with pytest.raises(ValueError, match="randperm: sizes must be non-negative"):
        ag.randperm(-1)
    with pytest.raises(RuntimeError):
        torch.randperm(-1)


def test_as_tensor_shares_where_torch_shares() -> None:
    a = np.zeros(3)
    ours, theirs = ag.as_tensor(a), torch.as_tensor(a)
    copied, torch_copied = (
        ag.as_tensor(a, dtype=ag.float32),
        torch.as_tensor(a, dtype=torch.float32),
    )
    a[0] = 1.0
    assert ours.tolist() == theirs.tolist() == [1.0, 0.0, 0.0]
    assert copied.tolist() == torch_copied.tolist() == [0.0, 0.0, 0.0]
    x, t = ag.zeros(2), torch.zeros(2)
    assert (ag.as_tensor(x) is x) == (torch.as_tensor(t) is t) == True  # noqa: E712
    assert name(ag.as_tensor([1, 2]).dtype) == name(torch.as_tensor([1, 2]).dtype)


# ---- promotion of mixed int/float operands, as PyTorch (numpy would widen to float64) -------

MIXES = {
    "int64 * 0.5": lambda m: m.tensor([1, 2, 3]) * 0.5,
    "float32 * int64": lambda m: m.tensor([1.0, 2.0]) * m.tensor([1, 2]),
    "int64 / int64": lambda m: m.tensor([1, 2]) / m.tensor([2, 4]),
    "int64 / 2": lambda m: m.tensor([1, 2]) / 2,
    "bool + 0.5": lambda m: m.tensor([True, False]) + 0.5,
    "float64 * int64": lambda m: m.tensor([1.0, 2.0], dtype=m.float64) * m.tensor([1, 2]),
    "int64 + 1": lambda m: m.tensor([1, 2]) + 1,
    "float32 ** int64": lambda m: m.linspace(0, 1, 3).unsqueeze(-1) ** m.tensor([1, 2, 3]),
    "arange * 0.5": lambda m: m.arange(5) * 0.5,
    "maximum(int64, float32)": lambda m: m.maximum(m.tensor([1, 5]), m.tensor([2.0, 3.0])),
}


@pytest.mark.parametrize("name", MIXES)
def test_mixed_operands_promote_as_in_pytorch(name: str) -> None:
    ours, theirs = MIXES[name](ag), MIXES[name](torch)
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_a_float32_parameter_times_int_data_keeps_float32_gradients() -> None:
    w = ag.tensor([0.5, -1.0], requires_grad=True)
    (w * ag.tensor([3, 4])).sum().backward()
    assert w.grad.dtype == np.float32 and w.grad.tolist() == [3.0, 4.0]


def test_range_indexes_like_a_list() -> None:
    values = np.arange(12.0).reshape(4, 3)
    for key in [(range(4), [0, 2, 1, 1]), (range(1, 3),), (range(0, 4, 2), 1)]:
        np.testing.assert_array_equal(ag.tensor(values)[key].numpy(), torch.tensor(values)[key])


# ---- bitwise ops on masks and integer tensors ------------------------------------------------

BITWISE = {
    "mask and": lambda m, x: (x > 0) & (x < 2),
    "mask or": lambda m, x: (x < -1) | (x > 2),
    "mask xor": lambda m, x: (x > 0) ^ (x > 2),
    "mask invert": lambda m, x: ~(x > 0),
    "mask and True": lambda m, x: (x > 0) & True,
    "int and int": lambda m, x: m.tensor([5, 3, 12]) & m.tensor([1, 2, 4]),
    "int or 1": lambda m, x: m.tensor([4, 3]) | 1,
    "1 xor int": lambda m, x: 1 ^ m.tensor([4, 3]),
    "int invert": lambda m, x: ~m.tensor([1, -2]),
    "masked select": lambda m, x: x[(x > 0) & (x < 4)],
}


@pytest.mark.parametrize("name", BITWISE)
def test_bitwise_ops_match_torch(name: str) -> None:
    values = [1.0, -2.0, 3.0, 0.5]
    ours = BITWISE[name](ag, ag.tensor(values))
    theirs = BITWISE[name](torch, torch.tensor(values))
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize(
    "call", [lambda x: x & x, lambda x: ~x, lambda x: (x > 0) | 1.5], ids=["and", "invert", "or"]
)
def test_bitwise_ops_refuse_floats_as_torch_does(call) -> None:
    x = ag.tensor([1.0, 2.0])
    with pytest.raises(TypeError, match=r"^(and|or|invert): bitwise ops need bool or integer"):
        call(x)
    with pytest.raises((TypeError, RuntimeError, NotImplementedError)):
        call(torch.tensor([1.0, 2.0]))


def test_bool_minus_bool_names_the_op_as_torch_refuses_it() -> None:
    with pytest.raises(TypeError, match=r"^sub: .*got dtypes bool and bool"):
        ag.tensor([True]) - ag.tensor([False])
    with pytest.raises(RuntimeError, match="Subtraction"):
        torch.tensor([True]) - torch.tensor([False])
