"""Compare the exactness of PyOD's and pyod_fast's KNN and LOF distances.

Above 15 features scikit-learn's ``algorithm='auto'``, which PyOD uses, takes
the brute-force search. It computes squared distances as
|x|^2 - 2 x.y + |y|^2, which loses digits when x and y are close or far from
the origin. Two cases show it:

1. Duplicate rows: the distance of a row to its duplicate, which is 0, and
   the labels when exact duplicates mix with pairs 1e-9 apart.
2. A large offset: LOF scores of data shifted by 1e4, 1e6 and 1e8, against
   pyod_fast's scores of the unshifted data (LOF does not depend on a shift).

Usage: ``python benchmarks/exactness.py`` (needs the pyod package). It runs in
a few seconds and prints one line per measurement.
"""

import warnings

import numpy as np
from pyod.models.knn import KNN as PyodKNN
from pyod.models.lof import LOF as PyodLOF

from pyod_fast.models.knn import KNN
from pyod_fast.models.lof import LOF


def measure_duplicates(n_features):
    rng = np.random.RandomState(0)
    X = rng.randn(500, n_features)
    X[1::2] = X[0::2]  # every row present twice
    reference = PyodKNN(n_neighbors=1).fit(X).decision_scores_
    ours = KNN(n_neighbors=1).fit(X).decision_scores_
    print(
        f"duplicates, d={n_features}: PyOD gives {np.count_nonzero(reference)} of {len(X)} rows a nonzero distance "
        f"to their duplicate (max {reference.max():.3g}); pyod_fast gives {np.count_nonzero(ours)} (max {ours.max():.3g})"
    )

    # 180 exact duplicate pairs and 20 pairs 1e-9 apart: with n_neighbors=1
    # and contamination 0.1, the 40 rows of the near pairs are the outliers.
    Y = rng.randn(200, n_features)
    Y = np.vstack([Y, Y[:180], Y[180:] + 1e-9])
    near_pairs = set(range(180, 200)) | set(range(380, 400))
    reference = PyodKNN(n_neighbors=1, contamination=0.1).fit(Y)
    ours = KNN(n_neighbors=1, contamination=0.1).fit(Y)
    print(
        f"near duplicates, d={n_features}: labels differ on {np.sum(reference.labels_ != ours.labels_)} of {len(Y)} "
        f"rows; PyOD labels the near pairs exactly: {set(np.flatnonzero(reference.labels_)) == near_pairs}; "
        f"pyod_fast: {set(np.flatnonzero(ours.labels_)) == near_pairs}"
    )


def measure_offset(n_features):
    rng = np.random.RandomState(1)
    X = rng.randn(1000, n_features)
    unshifted = LOF().fit(X)
    for offset in (1e4, 1e6, 1e8):
        reference = PyodLOF().fit(X + offset)
        ours = LOF().fit(X + offset)
        reference_error = np.abs(reference.decision_scores_ / unshifted.decision_scores_ - 1)
        our_error = np.abs(ours.decision_scores_ / unshifted.decision_scores_ - 1)
        print(
            f"offset {offset:g}, d={n_features}: PyOD LOF relative error max {reference_error.max():.3g}, "
            f"median {np.median(reference_error):.3g}, {np.sum(reference.labels_ != unshifted.labels_)} labels "
            f"changed; pyod_fast max {our_error.max():.3g}, {np.sum(ours.labels_ != unshifted.labels_)} labels changed"
        )


if __name__ == "__main__":
    warnings.simplefilter("ignore")  # PyOD's deprecation warnings
    for n_features in (20, 50):
        measure_duplicates(n_features)
    measure_offset(20)
