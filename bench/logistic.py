"""L2-regularised logistic regression in numpy (Newton's method), for the training scripts.

Minimises ``0.5·|w|² + C·Σ logloss`` (the intercept is not penalised), the same objective
as scikit-learn's ``LogisticRegression(C=C)``, without adding scikit-learn to the project.

>>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
>>> coef, intercept = fit_logistic(X, np.array([0, 0, 1, 1]), c=10.0)
>>> bool(predict(X, coef, intercept)[2] > 0.5), bool(predict(X, coef, intercept)[1] < 0.5)
(True, True)
"""

from __future__ import annotations

import numpy as np


def fit_logistic(x: np.ndarray, y: np.ndarray, *, c: float = 1.0,
                 sample_weight: np.ndarray | None = None,
                 iterations: int = 50) -> tuple[np.ndarray, float]:
    """(coefficients, intercept) of the fitted model."""
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    weights = np.ones(n) if sample_weight is None else np.asarray(sample_weight, float)
    penalty = np.full(d + 1, 1.0 / c)
    penalty[-1] = 0.0
    beta = np.zeros(d + 1)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = design.T @ (weights * (p - y)) + penalty * beta
        hessian = (design * (weights * p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        hessian[-1, -1] += 1e-9
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def predict(x: np.ndarray, coef: np.ndarray, intercept: float) -> np.ndarray:
    """Probabilities of the positive class."""
    return 1.0 / (1.0 + np.exp(-(x @ coef + intercept)))
