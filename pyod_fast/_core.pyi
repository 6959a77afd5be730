"""Type stub of the compiled module pyod_fast._core (private API)."""

from typing import Optional, Tuple

import numpy as np
from numpy.typing import NDArray

__version__: str

def max_threads() -> int: ...
def resolve_threads(n_jobs: int) -> int: ...

class KnnIndex:
    def __init__(self, X: NDArray[np.floating], p: float = 2.0, algorithm: str = "auto", leaf_size: int = 30) -> None: ...
    def query(
        self, X: NDArray[np.floating], k: int, n_jobs: int = 1, return_indices: bool = True
    ) -> Tuple[NDArray[np.float64], Optional[NDArray[np.int64]]]: ...
    def query_training(
        self, k: int, n_jobs: int = 1, return_indices: bool = True
    ) -> Tuple[NDArray[np.float64], Optional[NDArray[np.int64]]]: ...
    def training_data(self) -> NDArray[np.floating]: ...
    @property
    def n_samples(self) -> int: ...
    @property
    def n_features(self) -> int: ...
    @property
    def p(self) -> float: ...
    @property
    def leaf_size(self) -> int: ...
    @property
    def algorithm(self) -> str: ...

def knn_scores(distances: NDArray[np.float64], method: str) -> NDArray[np.float64]: ...
def lof_training(
    distances: NDArray[np.float64], indices: NDArray[np.int64]
) -> Tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]: ...
def lof_scores(
    distances: NDArray[np.float64],
    indices: NDArray[np.int64],
    k_distance: NDArray[np.float64],
    train_density: NDArray[np.float64],
) -> NDArray[np.float64]: ...

def hbos_fit(
    X: NDArray[np.floating], n_bins: int, alpha: float, tol: float, n_jobs: int = 1
) -> Tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]: ...
def hbos_score(
    X: NDArray[np.floating],
    offsets: NDArray[np.int64],
    edges: NDArray[np.float64],
    density: NDArray[np.float64],
    alpha: float,
    tol: float,
    n_jobs: int = 1,
) -> NDArray[np.float64]: ...
def ecdf_fit(X: NDArray[np.floating], aggregation: str, n_jobs: int = 1) -> Tuple[NDArray[np.floating], NDArray[np.float64], NDArray[np.float64]]: ...
def ecdf_score(
    sorted_columns: NDArray[np.floating],
    skew_signs: NDArray[np.float64],
    X: NDArray[np.floating],
    aggregation: str,
    reference: str = "fitted",
    per_feature: bool = False,
    n_jobs: int = 1,
) -> object: ...
def ecdf_skew_signs(first: NDArray[np.floating], second: NDArray[np.floating], n_jobs: int = 1) -> NDArray[np.float64]: ...
def ecdf_sort_columns(X: NDArray[np.floating], n_jobs: int = 1) -> NDArray[np.floating]: ...

class IsolationForest:
    @staticmethod
    def fit(
        X: NDArray[np.floating],
        n_estimators: int,
        max_samples: int,
        max_features: int = -1,
        bootstrap: bool = False,
        seed: int = 0,
        n_jobs: int = 1,
    ) -> "IsolationForest": ...
    def anomaly_scores(self, X: NDArray[np.floating], n_jobs: int = 1) -> NDArray[np.float64]: ...
    def path_length_sums(self, X: NDArray[np.floating], n_jobs: int = 1) -> NDArray[np.float64]: ...
    def split_counts(self) -> NDArray[np.float64]: ...
    feature: NDArray[np.int32]
    threshold: NDArray[np.float64]
    left: NDArray[np.int32]
    n_node_samples: NDArray[np.int32]
    tree_offsets: NDArray[np.int64]
    n_estimators: int
    max_samples: int
    n_features: int
    node_count: int
