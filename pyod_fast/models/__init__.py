"""Outlier detectors, one module per detector as in PyOD.

Import each detector from its own module, for example
``from pyod_fast.models.knn import KNN``. Nothing is imported here eagerly, so
importing one detector never loads the optional dependencies of another.
"""
