"""A PyTorch MLP trained like scikit-learn's, as a speed reference.

Only imported when PyTorch is installed. It mirrors the settings of the
benchmark cases: the same layers (Linear + ReLU), mini-batches of
``batch_size`` drawn from a fresh permutation every epoch, Adam or SGD with
(Nesterov) momentum and the same hyperparameters, and an L2 penalty of
``alpha / batch_size`` on the weights only (scikit-learn's gradient
``alpha * W / n_batch``), cross-entropy or half squared error. The loss of
every batch is read back (``loss.item()``) as the others do to report
``loss_curve_``. L-BFGS is not compared (``torch.optim.LBFGS`` is a different
algorithm with its own line search).
"""

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

_DTYPES = {"float32": torch.float32, "float64": torch.float64}


class TorchMLP:
    def __init__(self, *, task, dtype, hidden_layer_sizes, solver, alpha, batch_size,
                 learning_rate_init, max_iter, shuffle, random_state, momentum,
                 nesterovs_momentum, beta_1=0.9, beta_2=0.999, epsilon=1e-8, **ignored):
        self.task = task
        self.dtype = dtype
        self.hidden_layer_sizes = tuple(hidden_layer_sizes)
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.betas = (beta_1, beta_2)
        self.epsilon = epsilon

    def _build(self, n_in, n_out):
        layers, width = [], n_in
        for units in self.hidden_layer_sizes:
            layers += [nn.Linear(width, units), nn.ReLU()]
            width = units
        layers.append(nn.Linear(width, n_out))
        return nn.Sequential(*layers).to(_DTYPES[self.dtype])

    def fit(self, X, y):
        self.start(X, y)
        self.loss_curve_ = [self.epoch() for _ in range(self.max_iter)]
        self.n_iter_ = self.max_iter
        return self

    def start(self, X, y):
        """Build the model and the optimizer for (X, y); no training yet."""
        torch.manual_seed(self.random_state)
        self._gen = torch.Generator().manual_seed(self.random_state)
        self._X = torch.from_numpy(np.ascontiguousarray(X, dtype=self.dtype))
        if self.task == "clf":
            self.classes_, codes = np.unique(y, return_inverse=True)
            self._y = torch.from_numpy(codes.astype(np.int64))
            n_out = len(self.classes_)
            self._loss_fn = F.cross_entropy
        else:
            self._y = torch.from_numpy(np.asarray(y, dtype=self.dtype).reshape(len(y), -1))
            n_out = self._y.shape[1]
            self._loss_fn = lambda out, target: 0.5 * F.mse_loss(out, target)

        self.model_ = model = self._build(self._X.shape[1], n_out)
        weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
        biases = [p for name, p in model.named_parameters() if name.endswith("bias")]
        groups = [
            {"params": weights, "weight_decay": self.alpha / self.batch_size},
            {"params": biases, "weight_decay": 0.0},
        ]
        if self.solver == "adam":
            self._opt = torch.optim.Adam(groups, lr=self.learning_rate_init, betas=self.betas,
                                         eps=self.epsilon)
        elif self.solver == "sgd":
            self._opt = torch.optim.SGD(
                groups, lr=self.learning_rate_init, momentum=self.momentum,
                nesterov=self.nesterovs_momentum and self.momentum > 0)
        else:
            raise ValueError(f"solver {self.solver!r} has no PyTorch reference")
        return self

    def epoch(self):
        """One pass over the data in shuffled mini-batches; the mean loss."""
        Xt, yt, model, opt = self._X, self._y, self.model_, self._opt
        n = Xt.shape[0]
        model.train()
        order = torch.randperm(n, generator=self._gen) if self.shuffle else torch.arange(n)
        total = 0.0
        for start in range(0, n, self.batch_size):
            idx = order[start:start + self.batch_size]
            xb, yb = Xt[idx], yt[idx]
            opt.zero_grad(set_to_none=True)
            loss = self._loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        return total / n

    def predict(self, X):
        Xt = torch.from_numpy(np.ascontiguousarray(X, dtype=self.dtype))
        self.model_.eval()
        with torch.inference_mode():
            out = self.model_(Xt)
        if self.task == "clf":
            return self.classes_[out.argmax(dim=1).numpy()]
        out = out.numpy()
        return out.ravel() if out.shape[1] == 1 else out
