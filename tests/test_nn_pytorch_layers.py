"""PyTorch habits in nn: Parameter, freezing, nn.init, Module.to, BatchNorm, GELU SiLU PReLU Maxout.

Every number is checked against PyTorch on the same inputs and weights, against central
differences in float64 (`gradcheck`), or against the closed-form moments of a distribution.
"""

from __future__ import annotations

import copy
import math
import pickle

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, gradcheck, manual_seed, no_grad
from nn import F, init, optim

torch = pytest.importorskip("torch")


def _t(x: Tensor | np.ndarray) -> torch.Tensor:
    """A torch copy of our data, requiring grad (for inputs)."""
    data = x.data if isinstance(x, Tensor) else x
    return torch.tensor(np.array(data), requires_grad=True)


def _copy_weights(ours: nn.Module, theirs: torch.nn.Module) -> None:
    """Load our parameters and buffers into the torch module (same names, same shapes)."""
    state = {k: torch.tensor(np.array(v)) for k, v in ours.state_dict().items()}
    theirs.load_state_dict(state, strict=True)


def _close(ours: Tensor | np.ndarray, theirs: torch.Tensor, **tol: float) -> None:
    data = ours.data if isinstance(ours, Tensor) else ours
    np.testing.assert_allclose(data, theirs.detach().numpy(), **(tol or dict(rtol=1e-10)))


# ---- Parameter ---------------------------------------------------------------------------------


def test_parameter_is_a_leaf_tensor_whose_results_are_plain_tensors():
    p = nn.Parameter(Tensor([1.0, 2.0]))
    assert isinstance(p, Tensor) and p.requires_grad and p.is_leaf
    for result in (p * 2, p + p, p.sum(), p.reshape(2, 1), p.detach(), -p, p[0]):
        assert type(result) is Tensor
    (p * p).sum().backward()
    assert p.grad.tolist() == [2.0, 4.0]
    frozen = nn.Parameter(Tensor([1.0]), requires_grad=False)
    assert not frozen.requires_grad
    assert repr(p).startswith("Parameter containing:\nTensor(")
    empty, tp = nn.Parameter(), torch.nn.Parameter()
    assert empty.shape == tuple(tp.shape) and empty.requires_grad == tp.requires_grad


def test_parameter_shares_the_tensor_it_wraps_like_torch():
    tt = torch.zeros(3)
    tp = torch.nn.Parameter(tt)
    with torch.no_grad():
        tp[0] = 5.0
    ours = Tensor(np.zeros(3, dtype=np.float32))
    p = nn.Parameter(ours)
    p.data[0] = 5.0
    assert ours.tolist() == tt.tolist() == [5.0, 0.0, 0.0]
    array = np.zeros(2)
    nn.Parameter(array).data[0] = 1.0  # arrays are copied (torch takes only tensors)
    assert array[0] == 0.0


def test_parameter_survives_deepcopy_and_pickle():
    p = nn.Parameter(Tensor([1.0, 2.0]), requires_grad=False)
    for clone in (copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
        assert type(clone) is nn.Parameter and clone.tolist() == [1.0, 2.0]
        assert not clone.requires_grad
    model = copy.deepcopy(nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)))
    assert all(isinstance(q, nn.Parameter) for q in model.parameters())


def test_parameter_refuses_what_torch_refuses():
    with pytest.raises(TypeError, match="only floating-point tensors can require grad"):
        nn.Parameter(Tensor(np.arange(3)))
    with pytest.raises(RuntimeError):
        torch.nn.Parameter(torch.arange(3))
    with pytest.raises(TypeError, match="requires_grad must be True or False"):
        nn.Parameter([1.0], requires_grad="yes")


def test_every_layer_holds_parameters():
    models = [
        nn.Linear(2, 3),
        nn.Conv2d(1, 2, 3),
        nn.PReLU(4),
        nn.Maxout(3, 2),
        nn.BatchNorm1d(3),
        nn.BatchNorm2d(3),
        nn.MLP(2, [4, 4], 1),
        nn.LeNet(input_size=8),
    ]
    for model in models:
        params = model.parameters()
        assert params and all(type(p) is nn.Parameter for p in params), model
    # ops never turn a plain Tensor into a Parameter
    assert nn.Linear(2, 1).weight.label == "weight"


def test_subclass_attributes_work_as_in_torch():
    class Scale(nn.Module):
        def __init__(self):
            super().__init__()
            self.alpha = nn.Parameter(Tensor([2.0]))
            self.register_parameter("beta", nn.Parameter(Tensor([0.5])))
            self.register_parameter("gamma", None)
            self.register_buffer("steps", Tensor(np.array(0)))
            self.register_buffer("scratch", Tensor([0.0]), persistent=False)

        def forward(self, x):
            return x * self.alpha + self.beta

    class TScale(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.alpha = torch.nn.Parameter(torch.tensor([2.0]))
            self.register_parameter("beta", torch.nn.Parameter(torch.tensor([0.5])))
            self.register_parameter("gamma", None)
            self.register_buffer("steps", torch.tensor(0))
            self.register_buffer("scratch", torch.tensor([0.0]), persistent=False)

    ours, theirs = Scale(), TScale()
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert ours(Tensor([1.0])).item() == 2.5
    with pytest.raises(KeyError, match="already exists"):
        ours.register_buffer("forward", Tensor([1.0]))
    with pytest.raises(KeyError):
        theirs.register_buffer("forward", torch.tensor([1.0]))
    with pytest.raises(KeyError, match="contain no '.'"):
        ours.register_buffer("a.b", Tensor([1.0]))
    with pytest.raises(TypeError, match="expected nn.Parameter or None"):
        ours.register_parameter("delta", Tensor([1.0]))
    with pytest.raises(TypeError, match="cannot assign list to buffer 'steps'"):
        ours.steps = [1]
    with pytest.raises(TypeError, match="cannot assign Tensor to parameter 'alpha'"):
        ours.alpha = Tensor([3.0])
    with pytest.raises(TypeError, match="cannot assign"):
        theirs.alpha = torch.tensor([3.0])
    ours.alpha = nn.Parameter(Tensor([3.0]))  # a Parameter, or None, may replace one
    ours.beta = None
    assert [n for n, _ in ours.named_parameters()] == ["alpha"]


def test_add_module_and_zero_grad_like_torch():
    ours, theirs = nn.Module(), torch.nn.Module()
    ours.add_module("fc", nn.Linear(2, 3))
    theirs.add_module("fc", torch.nn.Linear(2, 3))
    ours.register_module("act", nn.ReLU())
    theirs.register_module("act", torch.nn.ReLU())
    ours.add_module("fc", nn.Linear(2, 1))  # replacing a module is allowed
    theirs.add_module("fc", torch.nn.Linear(2, 1))
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    with pytest.raises(TypeError, match="expected a Module or None"):
        ours.add_module("x", Tensor([1.0]))
    ours.fc(Tensor(np.ones((1, 2), dtype=np.float32))).sum().backward()
    theirs.fc(torch.ones(1, 2)).sum().backward()
    ours.zero_grad(set_to_none=False)
    theirs.zero_grad(set_to_none=False)
    assert ours.fc.weight.grad.tolist() == theirs.fc.weight.grad.tolist() == [[0.0, 0.0]]
    ours.zero_grad()
    theirs.zero_grad()
    assert ours.fc.weight.grad is None and theirs.fc.weight.grad is None


# ---- freezing and optimizers -------------------------------------------------------------------


class Net(nn.Module):
    """A body and a head, as the models that fine-tuning tutorials start from."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU())
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc(self.body(x))


class TNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.body = torch.nn.Sequential(
            torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8), torch.nn.ReLU()
        )
        self.fc = torch.nn.Linear(8, 3)

    def forward(self, x):
        return self.fc(self.body(x))


def _pair(seed: int = 0) -> tuple[nn.Module, torch.nn.Module]:
    """The same small net in both libraries, in float64."""
    manual_seed(seed)
    ours, theirs = Net().double(), TNet().double()
    _copy_weights(ours, theirs)
    return ours, theirs


def _train(model, loss_fn, opt, x, y, steps: int = 3) -> None:
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()


def test_fine_tuning_recipe_matches_torch():
    """Freeze everything, train a new head, then unfreeze all and train on: PyTorch's recipe."""
    ours, theirs = _pair()
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((16, 4)), rng.integers(0, 3, 16)
    tx, ty = torch.tensor(x), torch.tensor(y)
    for p in ours.parameters():
        p.requires_grad = False
    for p in theirs.parameters():
        p.requires_grad = False
    assert len(ours.parameters()) == len(list(theirs.parameters())) == 6
    manual_seed(5)
    ours.fc = nn.Linear(8, 3).double()  # a new head: trainable
    theirs.fc = torch.nn.Linear(8, 3).double()
    _copy_weights(ours.fc, theirs.fc)
    frozen_before = ours.body[0].weight.data.copy()
    opt = optim.SGD(ours.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-2)
    topt = torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-2)
    _train(ours, nn.CrossEntropyLoss(), opt, Tensor(x), Tensor(y))
    _train(theirs, torch.nn.CrossEntropyLoss(), topt, tx, ty)
    assert np.array_equal(ours.body[0].weight.data, frozen_before)  # not even weight decay
    assert ours.body[0].weight.grad is None
    for (name, p), (tname, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == tname and p.requires_grad == tp.requires_grad
        _close(p, tp)
    # unfreeze with the loop PyTorch users write; the same optimizer now moves everything
    for p in ours.parameters():
        p.requires_grad = True
    for p in theirs.parameters():
        p.requires_grad = True
    _train(ours, nn.CrossEntropyLoss(), opt, Tensor(x), Tensor(y))
    _train(theirs, torch.nn.CrossEntropyLoss(), topt, tx, ty)
    assert not np.array_equal(ours.body[0].weight.data, frozen_before)
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        _close(p, tp)


def test_requires_grad_false_keeps_parameters_and_state_dict():
    ours, theirs = _pair()
    ours.requires_grad_(False)
    theirs.requires_grad_(False)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert ours.num_parameters() == sum(p.numel() for p in theirs.parameters())
    ours.requires_grad_()
    assert all(p.requires_grad for p in ours.parameters())


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta"])
def test_optimizer_over_a_frozen_model_is_accepted_and_moves_nothing(name):
    ours, theirs = _pair()
    ours.requires_grad_(False)
    theirs.requires_grad_(False)
    opt = getattr(optim, name)(ours.parameters(), lr=0.1)
    topt = getattr(torch.optim, name)(theirs.parameters(), lr=0.1)
    before = ours.state_dict()
    opt.zero_grad()
    opt.step()
    topt.zero_grad()
    topt.step()
    for key, value in ours.state_dict().items():
        assert np.array_equal(value, before[key])
    assert opt.state == {} or all(not s for s in opt.state.values())
    with pytest.raises(ValueError, match="empty parameter list"):
        getattr(optim, name)([], lr=0.1)
    with pytest.raises(ValueError, match="empty parameter list"):
        getattr(torch.optim, name)([], lr=0.1)


def test_parameters_without_gradient_are_skipped_in_a_mixed_group():
    """A parameter the loss does not reach keeps grad None and is left alone, state and all."""
    manual_seed(0)
    used, unused = nn.Linear(3, 2).double(), nn.Linear(3, 2).double()
    opt = optim.Adam([*used.parameters(), *unused.parameters()], lr=0.1, weight_decay=0.1)
    before = unused.weight.data.copy()
    used(Tensor(np.ones((1, 3)))).sum().backward()
    opt.step()
    assert np.array_equal(unused.weight.data, before) and id(unused.weight) not in opt.state


def test_old_style_tensor_attributes_still_count_while_they_require_grad():
    class Old(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = Tensor([1.0], requires_grad=True)
            self.constant = Tensor([2.0])

        def forward(self, x):
            return x * self.w * self.constant

    old = Old()
    assert [n for n, _ in old.named_parameters()] == ["w"]
    old.requires_grad_(False)
    assert old.parameters() == []  # documented: make it an nn.Parameter to keep it


# ---- Module.to and friends ---------------------------------------------------------------------


def test_to_cpu_and_dtypes():
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    opt_params = model.parameters()
    assert model.to("cpu") is model and model.cpu() is model
    assert model.to(torch.device("cpu")) is model  # any object with .type == "cpu"
    model.to(np.float64)
    assert model.parameters() == opt_params  # the same objects: optimizers keep working
    assert all(p.dtype == np.float64 for p in model.parameters())
    bn = model[1]
    assert bn.running_mean.dtype == np.float64 and bn.num_batches_tracked.dtype == np.int64
    model.to("cpu", dtype="float32")
    assert all(p.dtype == np.float32 for p in model.parameters())
    model.to(Tensor(np.zeros(1)))  # a tensor's dtype, as torch's to(tensor)
    assert model[0].weight.dtype == np.float64
    assert model.type("float32")[0].bias.dtype == np.float32
    with pytest.raises(RuntimeError, match="CPU only; got device 'cuda:0'"):
        model.to("cuda:0")
    with pytest.raises(RuntimeError, match="CPU only; got device 'meta'"):
        model.to(device=torch.device("meta"))
    with pytest.raises(RuntimeError, match="CPU only"):
        model.cuda()
    with pytest.raises(TypeError, match="only floating-point dtypes; got int64"):
        model.to(np.int64)
    with pytest.raises(TypeError):
        torch.nn.Linear(2, 2).to(torch.int64)
    with pytest.raises(TypeError, match="unexpected arguments"):
        model.to("cpu", np.float32, "extra")


def test_factory_keywords_device_and_dtype():
    import autograd

    layers = [
        nn.Linear(2, 3, device="cpu", dtype=np.float64),
        nn.Conv2d(1, 2, 3, device=autograd.device("cpu"), dtype="float64"),
        nn.BatchNorm1d(3, device="cpu", dtype=autograd.float64),
        nn.PReLU(2, dtype=np.float64),
        nn.Maxout(2, 2, dtype=np.float64),
    ]
    for layer in layers:
        tensors = [*layer.parameters(), *layer.buffers()]
        assert {t.dtype for t in tensors if t.dtype.kind == "f"} == {np.dtype(np.float64)}
    manual_seed(0)
    w64 = nn.Linear(3, 2, dtype=np.float64).weight.data
    manual_seed(0)
    w32 = nn.Linear(3, 2).weight.data
    assert w32.dtype == np.float32 and np.array_equal(w64.astype(np.float32), w32)
    with pytest.raises(RuntimeError, match="Linear: grafograd runs on the CPU only; got device"):
        nn.Linear(2, 3, device="cuda")
    with pytest.raises(TypeError, match="BatchNorm2d: only floating-point dtypes; got int64"):
        nn.BatchNorm2d(3, dtype=np.int64)


def test_double_converts_gradients_like_torch():
    model = nn.Linear(2, 1)
    model(Tensor(np.ones((1, 2), dtype=np.float32))).sum().backward()
    model.double()
    assert model.weight.grad.dtype == np.float64
    tmodel = torch.nn.Linear(2, 1)
    tmodel(torch.ones(1, 2)).sum().backward()
    assert tmodel.double().weight.grad.dtype == torch.float64


# ---- nn.init -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nonlinearity, param",
    [("linear", None), ("conv2d", None), ("conv_transpose3d", None), ("sigmoid", None),
     ("tanh", None), ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2),
     ("leaky_relu", 3), ("selu", None)],
)  # fmt: skip
def test_calculate_gain_matches_torch(nonlinearity, param):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(
        torch.nn.init.calculate_gain(nonlinearity, param), rel=1e-15
    )


def test_calculate_gain_errors_where_torch_does():
    for args in (("swish",), ("leaky_relu", "a")):
        with pytest.raises(ValueError):
            init.calculate_gain(*args)
        with pytest.raises(ValueError):
            torch.nn.init.calculate_gain(*args)


@pytest.mark.parametrize("shape", [(3, 5), (8, 3, 5, 5), (4, 2, 3), (1, 1), (6, 7, 1, 2, 3)])
def test_fan_in_and_fan_out_match_torch(shape):
    ours = init._calculate_fan_in_and_fan_out(Tensor(np.zeros(shape)))
    assert ours == torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(shape))


def test_fan_needs_two_dimensions():
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(Tensor(np.zeros(3)))
    with pytest.raises(ValueError):
        torch.nn.init.xavier_uniform_(torch.zeros(3))
    with pytest.raises(ValueError, match="mode 'fan_avg' not supported"):
        init.kaiming_normal_(Tensor(np.zeros((2, 2))), mode="fan_avg")


def _bound_and_std(fill, shape, **kw):
    """(bound, std) that torch's fill gives for this shape, measured on one big draw."""
    sample = fill(torch.empty(shape, dtype=torch.float64), **kw)
    return float(sample.abs().max()), float(sample.std())


UNIFORM = [
    ("xavier_uniform_", (300, 500), {}),
    ("xavier_uniform_", (64, 32, 3, 3), {"gain": 2.0}),
    ("kaiming_uniform_", (400, 300), {}),
    ("kaiming_uniform_", (400, 300), {"a": math.sqrt(5)}),
    ("kaiming_uniform_", (64, 32, 3, 3), {"mode": "fan_out", "nonlinearity": "relu"}),
]
NORMAL = [
    ("xavier_normal_", (300, 500), {}),
    ("kaiming_normal_", (400, 300), {"nonlinearity": "relu"}),
    ("kaiming_normal_", (64, 32, 3, 3), {"a": 0.1, "mode": "fan_out"}),
]


@pytest.mark.parametrize("name, shape, kw", UNIFORM + NORMAL)
def test_random_fills_have_torchs_distribution(name, shape, kw):
    manual_seed(0)
    ours = getattr(init, name)(Tensor(np.zeros(shape)), **kw).data
    torch.manual_seed(0)
    bound, std = _bound_and_std(getattr(torch.nn.init, name), shape, **kw)
    n = ours.size
    # the sample std of n draws is within a few standard errors (≈ σ/√(2n)) of σ
    assert ours.std() == pytest.approx(std, rel=6 / math.sqrt(n))
    assert abs(ours.mean()) < 6 * std / math.sqrt(n)
    if name.endswith("uniform_"):
        exact = math.sqrt(3.0) * std  # U(-b, b) has σ = b/√3; both maxima lie just below b
        assert ours.max() <= exact * 1.01 and ours.min() >= -exact * 1.01
        assert abs(ours).max() == pytest.approx(bound, rel=1e-2)
    else:  # normal: the fourth moment tells it from a uniform of the same σ
        kurtosis = np.mean((ours - ours.mean()) ** 4) / ours.var() ** 2
        assert kurtosis == pytest.approx(3.0, abs=0.1)


def test_uniform_normal_constant_and_seeding():
    manual_seed(3)
    a = init.uniform_(Tensor(np.zeros(10000)), -1.0, 3.0).data
    assert a.min() >= -1.0 and a.max() < 3.0
    assert a.mean() == pytest.approx(1.0, abs=0.05) and a.var() == pytest.approx(16 / 12, rel=0.05)
    manual_seed(3)
    again = init.uniform_(Tensor(np.zeros(10000)), -1.0, 3.0).data
    assert np.array_equal(a, again)  # the engine's generator: manual_seed reproduces
    b = init.normal_(Tensor(np.zeros(20000)), mean=2.0, std=0.5).data
    assert b.mean() == pytest.approx(2.0, abs=0.02) and b.std() == pytest.approx(0.5, rel=0.03)
    rng = np.random.default_rng(7)
    c = init.normal_(Tensor(np.zeros(5)), generator=rng).data
    assert np.array_equal(c, np.random.default_rng(7).standard_normal(5))
    for dtype in (np.float32, np.float64):  # torch's init.normal_(t) is t.normal_()
        manual_seed(1)
        fill = init.normal_(Tensor(np.zeros(4, dtype=dtype)), 1.0, 2.0).data
        manual_seed(1)
        assert np.array_equal(fill, Tensor(np.zeros(4, dtype=dtype)).normal_(1.0, 2.0).data)
        manual_seed(1)
        fill = init.uniform_(Tensor(np.zeros(4, dtype=dtype)), -1.0, 2.0).data
        manual_seed(1)
        assert np.array_equal(fill, Tensor(np.zeros(4, dtype=dtype)).uniform_(-1.0, 2.0).data)
    t32 = Tensor(np.zeros((2, 3), dtype=np.float32))
    assert init.constant_(t32, 0.3).dtype == np.float32
    assert np.all(t32.data == np.float32(0.3))
    assert init.ones_(t32).tolist() == torch.nn.init.ones_(torch.empty(2, 3)).tolist()
    assert init.zeros_(t32).tolist() == torch.nn.init.zeros_(torch.empty(2, 3)).tolist()


def test_fills_are_in_place_edits():
    fc = nn.Linear(3, 2)
    weight, array = fc.weight, fc.weight.numpy()
    loss = (fc(Tensor(np.ones((1, 3), dtype=np.float32))) * fc.weight.sum()).sum()
    assert init.xavier_uniform_(weight) is weight and weight.numpy() is array
    assert weight.requires_grad and weight.is_leaf
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()
    with pytest.raises(TypeError, match="expected a floating-point tensor"):
        init.zeros_(Tensor(np.zeros(2, dtype=np.int64)))
    with pytest.warns(UserWarning, match="zero-element"):
        init.kaiming_uniform_(Tensor(np.zeros((0, 3))))


def test_model_apply_init_recipe():
    """The tutorial's ``model.apply(init_weights)``; the draws match torch's bounds."""

    def init_weights(m):
        if isinstance(m, nn.Linear):
            init.xavier_uniform_(m.weight)
            init.constant_(m.bias, 0.01)

    manual_seed(0)
    net = nn.MLP(20, [30], 10).apply(init_weights)
    bound = math.sqrt(6 / (20 + 30))
    assert np.abs(net[0].weight.data).max() <= bound
    assert np.all(net[0].bias.data == np.float32(0.01))


# ---- activations -------------------------------------------------------------------------------


def _compare(ours_fn, torch_fn, x, params=(), tparams=(), atol=1e-12):
    """Outputs, input gradients and parameter gradients for a random upstream gradient."""
    tx = _t(x)
    y, ty = ours_fn(x), torch_fn(tx)
    _close(y, ty, rtol=1e-10, atol=atol)
    g = np.random.default_rng(2).standard_normal(y.shape)
    y.backward(g)
    ty.backward(torch.tensor(g))
    _close(x.grad, tx.grad, rtol=1e-9, atol=atol)
    for p, tp in zip(params, tparams):
        _close(p.grad, tp.grad, rtol=1e-9, atol=atol)


def _x(*shape, low=-3.0, high=3.0, seed=0):
    data = np.random.default_rng(seed).uniform(low, high, shape)
    return Tensor(data, requires_grad=True)


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_matches_torch(approximate):
    _compare(nn.GELU(approximate), torch.nn.GELU(approximate), _x(45, 65))
    _compare(lambda x: F.gelu(x, approximate), lambda x: torch.nn.functional.gelu(
        x, approximate=approximate), _x(3, 4))  # fmt: skip
    assert repr(nn.GELU(approximate)) == repr(torch.nn.GELU(approximate))


@pytest.mark.parametrize("low, high", [(300.0, 400.0), (-400.0, -300.0), (-40.0, 40.0)])
def test_activations_far_from_zero_stay_finite(low, high):
    """Large inputs (tinygrad's extreme-value cases): finite outputs and torch's gradients."""
    for ours, theirs in [
        (nn.GELU(), torch.nn.GELU()),
        (nn.GELU("tanh"), torch.nn.GELU("tanh")),
        (nn.SiLU(), torch.nn.SiLU()),
    ]:
        _compare(ours, theirs, _x(20, 30, low=low, high=high), atol=1e-10)


def test_gelu_and_erf_gradcheck():
    x = _x(4, 5)
    assert gradcheck(lambda t: F.gelu(t), x)
    assert gradcheck(lambda t: F._erf(t), x)
    np.testing.assert_allclose(F._erf(x).data, torch.special.erf(torch.tensor(x.data)).numpy())
    assert F._erf(Tensor(np.float32([0.5]))).dtype == np.float32


def test_gelu_errors():
    with pytest.raises(ValueError, match="expected 'none' or 'tanh'"):
        nn.GELU("fast")
    with pytest.raises(TypeError, match="approximate='none' needs a Tensor"):
        F.gelu(Value(1.0))
    assert F.gelu(Value(1.0), approximate="tanh").data == pytest.approx(
        torch.nn.functional.gelu(torch.tensor(1.0, dtype=torch.float64), approximate="tanh").item()
    )


def test_silu_matches_torch_on_tensors_and_values():
    _compare(nn.SiLU(), torch.nn.SiLU(), _x(10, 7))
    v = Value(-1.3)
    out = nn.SiLU()(v)
    out.backward()
    tv = torch.tensor(-1.3, dtype=torch.float64, requires_grad=True)
    tout = torch.nn.functional.silu(tv)
    tout.backward()
    assert out.data == pytest.approx(tout.item()) and v.grad == pytest.approx(tv.grad.item())
    assert repr(nn.SiLU()) == repr(torch.nn.SiLU())


@pytest.mark.parametrize(
    "num_parameters, shape",
    [(1, (6,)), (1, (4, 5)), (5, (4, 5)), (3, (2, 3, 4)), (3, (2, 3, 4, 4)), (1, (2, 3, 4, 4))],
)
def test_prelu_matches_torch(num_parameters, shape):
    manual_seed(0)
    ours = nn.PReLU(num_parameters, init=0.1).double()
    init.uniform_(ours.weight, 0.0, 0.5)  # distinct slopes per channel
    theirs = torch.nn.PReLU(num_parameters).double()
    _copy_weights(ours, theirs)
    _compare(ours, theirs, _x(*shape), [ours.weight], [theirs.weight])
    x = _x(*shape)
    x.data[..., 0] = 0.0  # the kink: torch's gradient there is the slope, for x and for w
    ours.zero_grad()
    theirs.zero_grad()
    _compare(ours, theirs, x, [ours.weight], [theirs.weight])
    assert repr(ours) == repr(theirs)


def test_prelu_gradcheck_and_errors():
    w = Tensor([0.2, -0.1, 0.3], requires_grad=True)
    assert gradcheck(lambda x, w: F.prelu(x, w), _x(2, 3, 4), w)
    with pytest.raises(ValueError, match="got 3 slopes for input of shape"):
        nn.PReLU(3)(Tensor(np.ones((2, 4), dtype=np.float32)))
    with pytest.raises(RuntimeError, match="Mismatch of parameter numbers"):
        torch.nn.PReLU(3)(torch.ones(2, 4))
    with pytest.raises(ValueError):
        F.prelu(Tensor(np.ones(3)), Tensor(np.ones(3)))  # a 1-D input has one channel
    with pytest.raises(ValueError, match="num_parameters must be a positive int"):
        nn.PReLU(0)
    assert nn.PReLU(2, init=0.3).weight.tolist() == pytest.approx([0.3, 0.3])


@pytest.mark.parametrize("pieces, shape", [(2, (7, 5)), (3, (2, 4, 5)), (1, (5,))])
def test_maxout_is_linear_then_max_over_pieces(pieces, shape):
    manual_seed(0)
    ours = nn.Maxout(5, 4, pieces=pieces).double()
    linear = torch.nn.Linear(5, 4 * pieces).double()
    _copy_weights(ours, linear)

    def theirs(x):
        y = linear(x)
        return y.view(*y.shape[:-1], 4, pieces).amax(-1)

    _compare(ours, theirs, _x(*shape), [ours.weight, ours.bias], [linear.weight, linear.bias])
    assert gradcheck(lambda x: ours(x), _x(*shape, seed=3))


def test_maxout_shape_errors_and_repr():
    unit = nn.Maxout(3, 2, pieces=3, bias=False)
    assert unit.bias is None and [n for n, _ in unit.named_parameters()] == ["weight"]
    assert repr(unit) == "Maxout(in_features=3, out_features=2, pieces=3, bias=False)"
    with pytest.raises(ValueError, match="expected input with 3 features; got shape"):
        unit(np.ones((2, 4)))
    with pytest.raises(ValueError, match="pieces must be a positive int"):
        nn.Maxout(3, 2, pieces=0)


def test_new_activations_by_name_in_mlp():
    for name, layer in [("gelu", nn.GELU), ("silu", nn.SiLU), ("prelu", nn.PReLU)]:
        net = nn.MLP(3, [4], 2, activation=name)
        assert isinstance(net[1], layer)
        assert net(np.ones((2, 3), dtype=np.float32)).shape == (2, 2)


# ---- BatchNorm ---------------------------------------------------------------------------------

BN_CASES = [
    ("BatchNorm1d", (16, 5), {}),
    ("BatchNorm1d", (8, 5, 7), {}),
    ("BatchNorm2d", (4, 5, 6, 3), {}),
    ("BatchNorm1d", (16, 5), {"momentum": None}),
    ("BatchNorm2d", (4, 5, 3, 3), {"momentum": 0.3, "eps": 1e-3}),
    ("BatchNorm1d", (8, 5, 2), {"affine": False}),
    ("BatchNorm2d", (4, 5, 3, 3), {"track_running_stats": False}),
    ("BatchNorm1d", (6, 5), {"bias": False}),
]


def _bn_pair(name, kw):
    ours = getattr(nn, name)(5, **kw).double()
    theirs = getattr(torch.nn, name)(5, **kw).double()
    if ours.weight is not None:  # distinct affine values, so the gradients are not trivial
        init.uniform_(ours.weight, 0.5, 1.5)
    if ours.bias is not None:
        init.uniform_(ours.bias, -0.5, 0.5)
    _copy_weights(ours, theirs)
    return ours, theirs


@pytest.mark.parametrize("name, shape, kw", BN_CASES)
def test_batchnorm_training_steps_then_eval_match_torch(name, shape, kw):
    manual_seed(0)
    ours, theirs = _bn_pair(name, kw)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    opt = optim.SGD(ours.parameters(), lr=0.1) if ours.affine else None
    topt = torch.optim.SGD(theirs.parameters(), lr=0.1) if ours.affine else None
    rng = np.random.default_rng(4)
    for step in range(4):
        x = Tensor(rng.normal(2.0 + step, 3.0, shape), requires_grad=True)
        tx = _t(x)
        y, ty = ours(x), theirs(tx)
        _close(y, ty, rtol=1e-9, atol=1e-12)
        g = rng.standard_normal(shape)
        y.backward(g)
        ty.backward(torch.tensor(g))
        _close(x.grad, tx.grad, rtol=1e-8, atol=1e-12)
        if opt is not None:
            for p, tp in zip(ours.parameters(), theirs.parameters()):
                _close(p.grad, tp.grad, rtol=1e-9, atol=1e-12)
            opt.step()
            topt.step()
            opt.zero_grad()
            topt.zero_grad()
    for (key, value), (tkey, tvalue) in zip(ours.state_dict().items(), theirs.state_dict().items()):
        assert key == tkey
        np.testing.assert_allclose(value, tvalue.numpy(), rtol=1e-10)
    ours.eval()
    theirs.eval()
    x = Tensor(rng.normal(1.0, 2.0, shape), requires_grad=True)
    _compare(ours, theirs, x, atol=1e-12)


def test_batchnorm_gradcheck_in_training_and_eval():
    manual_seed(0)
    bn = nn.BatchNorm2d(3).double()
    init.uniform_(bn.weight, 0.5, 1.5)
    x = _x(4, 3, 2, 2)
    assert gradcheck(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), x,
                     bn.weight, bn.bias)  # fmt: skip
    bn(x)
    bn.eval()
    assert gradcheck(lambda x: bn(x), _x(2, 3, 2, 2))


def test_batchnorm_state_dict_round_trip_with_torch():
    manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)).double()
    tmodel = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(), torch.nn.Linear(4, 2)
    ).double()
    assert list(model.state_dict()) == list(tmodel.state_dict())
    x = np.random.default_rng(0).standard_normal((10, 3))
    model(Tensor(x))
    model(Tensor(x * 2))
    _copy_weights(model, tmodel)  # torch loads our running stats and counter
    assert int(tmodel[1].num_batches_tracked) == 2
    state = {k: v.numpy() for k, v in tmodel.state_dict().items()}
    fresh = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)).double()
    fresh.load_state_dict(state)
    fresh.eval()
    tmodel.eval()
    _close(fresh(Tensor(x)), tmodel(torch.tensor(x)))
    assert fresh[1].num_batches_tracked.item() == 2
    assert [n for n, _ in fresh.named_buffers()] == [n for n, _ in tmodel.named_buffers()]
    assert len(fresh.parameters()) == len(list(tmodel.parameters())) == 6  # buffers are no params


def test_batchnorm_buffers_survive_save_and_load(tmp_path):
    bn = nn.BatchNorm2d(2)
    bn(np.random.default_rng(0).normal(1.0, 2.0, (3, 2, 2, 2)).astype(np.float32))
    path = bn.save(tmp_path / "bn")
    copy_ = nn.BatchNorm2d(2).load(path)
    for (key, value), (_, again) in zip(bn.state_dict().items(), copy_.state_dict().items()):
        assert np.array_equal(value, again) and value.dtype == again.dtype, key
    assert copy_.num_batches_tracked.dtype == np.int64 and copy_.num_batches_tracked.item() == 1


def test_batchnorm_errors_where_torch_errors():
    bn, tbn = nn.BatchNorm1d(3), torch.nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match="more than 1 value per channel when training"):
        bn(Tensor(np.ones((1, 3), dtype=np.float32)))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        tbn(torch.ones(1, 3))
    assert bn.num_batches_tracked.item() == 0  # refused before any state changed
    with pytest.raises(ValueError, match=r"expected 2-D or 3-D input with 3 channels"):
        bn(Tensor(np.ones((2, 3, 4, 4), dtype=np.float32)))
    with pytest.raises(ValueError):
        tbn(torch.ones(2, 3, 4, 4))
    with pytest.raises(ValueError, match="expected 4-D input with 3 channels on axis 1"):
        nn.BatchNorm2d(3)(Tensor(np.ones((2, 4, 5, 5), dtype=np.float32)))
    bn.eval()
    assert bn(Tensor(np.ones((1, 3), dtype=np.float32))).shape == (1, 3)  # eval: one sample is fine
    with pytest.raises(ValueError, match="running_mean and running_var must be given"):
        F.batch_norm(Tensor(np.ones((2, 3))), None, None)


def test_batchnorm_reset_and_float32():
    bn = nn.BatchNorm2d(2)
    x = np.random.default_rng(0).normal(3.0, 2.0, (4, 2, 3, 3)).astype(np.float32)
    y = bn(x)
    assert y.dtype == np.float32 and bn.running_mean.dtype == np.float32
    tbn = torch.nn.BatchNorm2d(2)
    ty = tbn(torch.tensor(x))
    _close(y, ty, rtol=1e-5, atol=1e-5)
    _close(bn.running_var, tbn.running_var, rtol=1e-6)
    bn.reset_running_stats()
    assert bn.running_mean.tolist() == [0.0, 0.0] and bn.running_var.tolist() == [1.0, 1.0]
    assert bn.num_batches_tracked.item() == 0
    with no_grad():
        assert bn(x).requires_grad is False
