"""`nn.to_torch` / `nn.from_torch`: the converted model computes the same outputs and gradients as
the original (PyTorch is the oracle), keeps names, dtypes and modes, and refuses what it can't."""

from __future__ import annotations

import collections
import io
import sys
from collections.abc import Callable

import numpy as np
import pytest

import nn
from autograd import Tensor, manual_seed
from autograd.random import generator
from nn.parameter import Parameter

torch = pytest.importorskip("torch")

# (name, factory, input shape): every tensor layer, alone and inside the ready-made models
LAYERS: list[tuple[str, Callable[[], nn.Module], tuple[int, ...]]] = [
    ("linear", lambda: nn.Linear(5, 3), (4, 5)),
    ("linear_no_bias", lambda: nn.Linear(5, 3, bias=False), (4, 5)),
    ("linear_3d_input", lambda: nn.Linear(5, 2), (2, 3, 5)),
    ("conv2d", lambda: nn.Conv2d(2, 3, 3), (2, 2, 7, 6)),
    (
        "conv2d_stride_pad",
        lambda: nn.Conv2d(2, 4, (3, 2), stride=(2, 1), padding=(1, 2)),
        (2, 2, 7, 6),
    ),
    ("conv2d_same", lambda: nn.Conv2d(1, 2, 5, padding="same", bias=False), (1, 1, 6, 6)),
    ("conv2d_valid", lambda: nn.Conv2d(1, 2, 3, padding="valid"), (1, 1, 6, 6)),
    ("max_pool2d", lambda: nn.MaxPool2d(2), (2, 3, 6, 6)),
    ("max_pool2d_stride", lambda: nn.MaxPool2d((3, 2), stride=(2, 1)), (2, 3, 7, 6)),
    ("avg_pool2d", lambda: nn.AvgPool2d(2), (2, 3, 6, 6)),
    ("avg_pool2d_stride", lambda: nn.AvgPool2d(3, stride=2), (1, 2, 7, 7)),
    (
        "max_pool2d_pad_dilation_ceil",
        lambda: nn.MaxPool2d(3, 2, 1, 2, ceil_mode=True),
        (1, 2, 9, 8),
    ),
    ("avg_pool2d_pad", lambda: nn.AvgPool2d(3, 2, padding=1), (1, 2, 7, 6)),
    (
        "avg_pool2d_pad_exclude_ceil",
        lambda: nn.AvgPool2d(2, padding=1, ceil_mode=True, count_include_pad=False),
        (1, 2, 5, 6),
    ),
    ("avg_pool2d_divisor", lambda: nn.AvgPool2d(2, divisor_override=3), (1, 2, 4, 4)),
    ("batch_norm1d", lambda: nn.BatchNorm1d(5), (4, 5)),
    ("batch_norm1d_3d_eval", lambda: nn.BatchNorm1d(3, eps=1e-3).eval(), (4, 3, 6)),
    ("batch_norm1d_no_affine", lambda: nn.BatchNorm1d(5, affine=False, momentum=None), (4, 5)),
    ("batch_norm2d", lambda: nn.BatchNorm2d(3), (2, 3, 4, 5)),
    (
        "batch_norm2d_untracked_eval",
        lambda: nn.BatchNorm2d(3, track_running_stats=False).eval(),
        (2, 3, 4, 5),
    ),
    ("gelu", lambda: nn.GELU(), (4, 5)),
    ("gelu_tanh", lambda: nn.GELU(approximate="tanh"), (4, 5)),
    ("silu", lambda: nn.SiLU(), (4, 5)),
    ("prelu", lambda: nn.PReLU(), (4, 5)),
    ("prelu_per_channel", lambda: nn.PReLU(3, init=0.1), (2, 3, 4, 4)),
    ("maxout", lambda: nn.Maxout(5, 3, pieces=4), (4, 5)),
    ("maxout_no_bias", lambda: nn.Maxout(5, 2, bias=False), (2, 3, 5)),
    ("flatten", lambda: nn.Flatten(), (2, 3, 4)),
    ("flatten_0_1", lambda: nn.Flatten(0, 1), (2, 3, 4)),
    ("dropout_eval", lambda: nn.Dropout(0.3).eval(), (4, 5)),
    ("dropout_p0", lambda: nn.Dropout(0.0), (4, 5)),
    ("relu", lambda: nn.ReLU(), (4, 5)),
    ("leaky_relu", lambda: nn.LeakyReLU(0.2), (4, 5)),
    ("elu", lambda: nn.ELU(0.7), (4, 5)),
    ("sigmoid", lambda: nn.Sigmoid(), (4, 5)),
    ("tanh", lambda: nn.Tanh(), (4, 5)),
    ("softmax", lambda: nn.Softmax(dim=1), (4, 5)),
    ("softmax_last", lambda: nn.Softmax(), (2, 3, 5)),
    ("identity", lambda: nn.Identity(), (4, 5)),
    ("sequential", lambda: nn.Sequential(nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 2)), (3, 5)),
    ("mlp", lambda: nn.MLP(5, [8, 6], 3, activation="elu", output_activation="sigmoid"), (4, 5)),
    (
        "mlp_prelu_gelu",
        lambda: nn.MLP(5, [6, 4], 2, activation="prelu", output_activation="gelu"),
        (3, 5),
    ),
    ("mlp_dropout_eval", lambda: nn.MLP(5, 8, 3, dropout=0.5).eval(), (4, 5)),
    ("lenet_8", lambda: nn.LeNet(input_size=8), (3, 1, 8, 8)),
    ("lenet_28_rgb", lambda: nn.LeNet(in_channels=3, num_classes=4, input_size=28), (2, 3, 28, 28)),
    ("lenet_tanh", lambda: nn.LeNet(input_size=(12, 8), activation="tanh"), (2, 1, 12, 8)),
    (
        "cnn_with_batch_norm",
        lambda: nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1, bias=False),
            nn.BatchNorm2d(4),
            nn.SiLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(16, 8),
            nn.BatchNorm1d(8),
            nn.GELU(),
            nn.Maxout(8, 3),
            nn.PReLU(),
        ),
        (5, 1, 4, 4),
    ),
]


def tolerances(dtype: type) -> dict[str, float]:
    return {"rtol": 1e-10, "atol": 1e-12} if dtype is np.float64 else {"rtol": 2e-5, "atol": 2e-6}


def build(factory: Callable[[], nn.Module], dtype: type) -> nn.Module:
    manual_seed(0)
    model = factory()
    return model.double() if dtype is np.float64 else model


def run_ours(model: nn.Module, x: np.ndarray, grad_out: np.ndarray) -> tuple:
    xt = Tensor(x, requires_grad=True)
    out = model(xt)
    out.backward(grad_out)
    grads = {name: p.grad for name, p in model.named_parameters()}
    return out.numpy(), xt.grad, grads


def run_torch(twin: object, x: np.ndarray, grad_out: np.ndarray | None) -> tuple:
    xt = torch.tensor(x, requires_grad=True)
    out = twin(xt)
    if grad_out is None:  # the output only
        return (out.detach().numpy(),)
    out.backward(torch.from_numpy(grad_out))
    grads = {name: p.grad.numpy() for name, p in twin.named_parameters()}
    return out.detach().numpy(), xt.grad.numpy(), grads


def check_same(ours: tuple, theirs: tuple, dtype: type) -> None:
    tol = tolerances(dtype)
    np.testing.assert_allclose(ours[0], theirs[0], **tol)
    np.testing.assert_allclose(ours[1], theirs[1], **tol)
    assert sorted(ours[2]) == sorted(theirs[2])
    for name, grad in ours[2].items():
        np.testing.assert_allclose(grad, theirs[2][name], **tol, err_msg=name)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize(
    ("factory", "shape"), [row[1:] for row in LAYERS], ids=[r[0] for r in LAYERS]
)
def test_round_trip_gives_equal_outputs_and_gradients(factory, shape, dtype) -> None:
    model = build(factory, dtype)
    twin = nn.to_torch(model)
    back = nn.from_torch(twin)
    # the same structure, names, dtypes and values on all three
    assert type(back) is (nn.Sequential if isinstance(model, nn.MLP) else type(model))
    assert repr(back) == repr(model).replace("MLP(", "Sequential(")
    check_same_state(model, twin, back)
    rng = np.random.default_rng(1)
    x = rng.normal(size=shape).astype(dtype)
    grad_out = rng.normal(size=run_torch(nn.to_torch(model), x, None)[0].shape).astype(dtype)
    ours = run_ours(model, x, grad_out)
    check_same(ours, run_torch(twin, x, grad_out), dtype)
    check_same(run_ours(back, x, grad_out), ours, dtype)
    check_same_state(model, twin, back, **tolerances(dtype))  # BatchNorm's running statistics


def check_same_state(model: nn.Module, twin, back: nn.Module, rtol=0.0, atol=0.0) -> None:
    theirs = twin.state_dict()
    assert list(theirs) == list(model.state_dict()) == list(back.state_dict())
    for name, array in model.state_dict().items():
        assert theirs[name].numpy().dtype == array.dtype == back.state_dict()[name].dtype, name
        np.testing.assert_allclose(theirs[name].numpy(), array, rtol=rtol, atol=atol, err_msg=name)
        np.testing.assert_allclose(back.state_dict()[name], array, rtol=rtol, atol=atol)


def test_weights_are_copied_not_shared() -> None:
    model = nn.Linear(3, 2)
    before = model.weight.data.copy()
    twin = nn.to_torch(model)
    with torch.no_grad():
        twin.weight.zero_()
    np.testing.assert_array_equal(model.weight.data, before)
    back = nn.from_torch(twin)
    with torch.no_grad():
        twin.weight.add_(1.0)
    np.testing.assert_array_equal(back.weight.data, np.zeros((2, 3), np.float32))


def test_a_shared_layer_stays_shared() -> None:
    fc = nn.Linear(3, 3)
    twin = nn.to_torch(nn.Sequential(fc, nn.Tanh(), fc))
    assert twin[0] is twin[2] and len(list(twin.parameters())) == 2
    back = nn.from_torch(twin)
    assert back[0] is back[2] and len(back.parameters()) == 2


def test_training_and_eval_mode_are_kept_module_by_module() -> None:
    model = nn.MLP(4, [6, 5], 2, dropout=0.5)
    model.eval()
    model[2].train()  # one Dropout left in training mode
    twin = nn.to_torch(model)
    assert [m.training for m in twin] == [m.training for m in model]
    assert not twin.training and twin[2].training
    back = nn.from_torch(twin)
    assert [m.training for m in back] == [m.training for m in model]
    twin.train()
    assert all(m.training for m in nn.from_torch(twin).modules())


def test_dropout_in_training_mode_stays_random_in_both() -> None:
    twin = nn.to_torch(nn.Dropout(0.5))
    out = twin(torch.ones(1000))
    assert set(np.unique(out.numpy())) == {0.0, 2.0}


def test_frozen_weights_stay_frozen() -> None:
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    model[0].weight.requires_grad = False
    twin = nn.to_torch(model)
    assert [p.requires_grad for p in twin.parameters()] == [False, True, True, True]
    back = nn.from_torch(twin)
    assert back[0].weight.requires_grad is False and back[0].bias.requires_grad is True
    assert all(isinstance(p, Parameter) for p in back.parameters())
    assert len(back.parameters()) == 4  # a frozen Parameter is still a parameter


def test_batch_norm_statistics_evolve_alike_in_training_then_serve_in_eval() -> None:
    model = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3, momentum=0.3))
    twin = nn.to_torch(model)
    rng = np.random.default_rng(4)
    for _ in range(3):
        x = rng.normal(loc=2.0, size=(6, 4)).astype(np.float32)
        np.testing.assert_allclose(
            model(x).numpy(), twin(torch.from_numpy(x)).detach().numpy(), rtol=1e-5, atol=1e-5
        )
    model.eval()
    twin.eval()
    x = rng.normal(size=(2, 4)).astype(np.float32)
    np.testing.assert_allclose(
        model(x).numpy(), twin(torch.from_numpy(x)).detach().numpy(), rtol=1e-5, atol=1e-5
    )
    back = nn.from_torch(twin)
    assert int(back[1].num_batches_tracked.item()) == 3 and not back[1].training
    np.testing.assert_allclose(back(x).numpy(), model(x).numpy(), rtol=1e-6, atol=1e-6)


def test_a_model_from_torch_layers_matches_torch() -> None:
    torch.manual_seed(0)
    twin = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3, padding="same"),
        torch.nn.LeakyReLU(0.1),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(4, 3, 3, stride=2, padding=1),
        torch.nn.ELU(),
        torch.nn.AvgPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Dropout(0.2),
        torch.nn.Linear(3, 5),
        torch.nn.Softmax(dim=1),
    ).double()
    twin.eval()
    model = nn.from_torch(twin)
    assert not model.training and not model[7].training
    rng = np.random.default_rng(2)
    x = rng.normal(size=(3, 1, 8, 8))
    grad_out = rng.normal(size=(3, 5))
    check_same(run_ours(model, x, grad_out), run_torch(twin, x, grad_out), np.float64)


def test_lenet_comes_back_as_a_lenet_and_pickles_whole() -> None:
    model = nn.LeNet(input_size=8, activation="leaky_relu")
    twin = nn.to_torch(model)
    assert type(twin).__name__ == "TorchLeNet"
    buffer = io.BytesIO()
    torch.save(twin, buffer)
    buffer.seek(0)
    loaded = torch.load(buffer, weights_only=False)
    back = nn.from_torch(loaded)
    assert type(back) is nn.LeNet and back.input_size == (8, 8)
    assert repr(back) == repr(model)
    x = np.random.default_rng(3).normal(size=(2, 1, 8, 8)).astype(np.float32)
    np.testing.assert_allclose(back(x).numpy(), model(x).numpy(), rtol=1e-6, atol=1e-7)


def test_from_torch_leaves_the_random_stream_alone() -> None:
    twin = torch.nn.Sequential(torch.nn.Linear(30, 20), torch.nn.Conv2d(2, 3, 3))
    manual_seed(5)
    expected = generator().normal(size=4)
    manual_seed(5)
    nn.from_torch(twin)
    np.testing.assert_array_equal(generator().normal(size=4), expected)


class Custom(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, x):
        return self.fc(x) * 2


def test_a_custom_module_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match=r"to_torch: cannot convert Custom;.*load_state_dict"):
        nn.to_torch(Custom())
    with pytest.raises(TypeError, match=r"to_torch: cannot convert Custom \(at '1'\)"):
        nn.to_torch(nn.Sequential(nn.ReLU(), Custom()))

    class MyMLP(nn.MLP):  # a subclass may change forward: not silently treated as its base
        def forward(self, x):
            return super().forward(x) + 1

    with pytest.raises(TypeError, match="cannot convert MyMLP"):
        nn.to_torch(MyMLP(2, 2, 1))
    with pytest.raises(TypeError, match="to_torch: model must be an nn.Module; got Linear"):
        nn.to_torch(torch.nn.Linear(2, 2))


def test_torch_modules_without_a_twin_are_refused_by_name() -> None:
    with pytest.raises(TypeError, match=r"from_torch: cannot convert GRU \(at '0'\)"):
        nn.from_torch(torch.nn.Sequential(torch.nn.GRU(2, 2)))

    class Net(torch.nn.Module):
        def forward(self, x):
            return x

    with pytest.raises(TypeError, match="from_torch: cannot convert Net;"):
        nn.from_torch(Net())
    with pytest.raises(TypeError, match="from_torch: module must be a torch.nn.Module; got Linear"):
        nn.from_torch(nn.Linear(2, 2))


@pytest.mark.parametrize(
    ("twin", "message"),
    [
        (torch.nn.Conv2d(1, 1, 3, dilation=2), r"Conv2d uses dilation=\(2, 2\)"),
        (torch.nn.Conv2d(2, 2, 3, groups=2), "Conv2d uses groups=2"),
        (torch.nn.Conv2d(1, 1, 3, padding_mode="reflect"), "padding_mode='reflect'"),
        (torch.nn.Softmax(), "Softmax has dim=None"),
        (
            torch.nn.Sequential(collections.OrderedDict(fc=torch.nn.Linear(2, 2))),
            r"Sequential names its entries; got \['fc'\]",
        ),
    ],
)
def test_settings_grafograd_lacks_are_refused(twin, message) -> None:
    with pytest.raises(ValueError, match=message):
        nn.from_torch(twin)


def test_a_half_precision_parameter_is_refused() -> None:
    with pytest.raises(TypeError, match=r"parameter 'weight' \(at '0'\) has dtype torch.float16"):
        nn.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2).half()))


def test_without_torch_the_error_says_how_to_install_it(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    with pytest.raises(ImportError, match="to_torch: PyTorch is not installed.*pip install torch"):
        nn.to_torch(nn.Linear(2, 2))
    with pytest.raises(ImportError, match="from_torch: .*pip install torch"):
        nn.from_torch(object())
