"""Data generation, evaluation and score utilities with PyOD's names."""

from .data import evaluate_print, generate_data, get_outliers_inliers
from .utility import (
    argmaxn,
    get_label_n,
    invert_order,
    precision_n_scores,
    score_to_label,
    standardizer,
)

__all__ = [
    "argmaxn",
    "evaluate_print",
    "generate_data",
    "get_label_n",
    "get_outliers_inliers",
    "invert_order",
    "precision_n_scores",
    "score_to_label",
    "standardizer",
]
