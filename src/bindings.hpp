// Shared helpers of the pybind11 bindings: one bind_<family>() per source
// file, all called from module.cpp.
//
// The bindings trust the Python layer for dtype conversion and finiteness
// (pyod_fast/utils/validation.py) and re-check only what protects memory:
// dtype, number of dimensions and the row layout of every buffer.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

#include "pyod_fast/core/matrix.hpp"

namespace pyod_fast::bindings {

namespace py = pybind11;

void bind_knn(py::module_& m);
void bind_lof(py::module_& m);
void bind_iforest(py::module_& m);
void bind_hbos(py::module_& m);
void bind_ecdf(py::module_& m);

// True when the array's dtype is equivalent to T (any byte order marker that
// means native order). dtype identity is not enough: unpickled arrays carry
// their own, equal dtype objects.
template <class T>
bool has_dtype(const py::array& array) {
  return py::isinstance<py::array_t<T>>(array);
}

// A row-major view of a 2-D array whose rows are each contiguous (a C-order
// array or a row slice of one). Anything else raises TypeError or ValueError.
template <class T>
MatrixView<T> matrix_view(const py::array& array, const char* name) {
  if (!has_dtype<T>(array)) {
    throw py::type_error(std::string(name) + " must be a " + std::string(py::str(py::dtype::of<T>())) +
                         " array, got " + std::string(py::str(array.dtype())));
  }
  if (array.ndim() != 2) {
    throw py::value_error(std::string(name) + " must be 2-D, got " + std::to_string(array.ndim()) + " dimensions");
  }
  const auto item = static_cast<py::ssize_t>(sizeof(T));
  if (array.shape(1) > 1 && array.strides(1) != item) {
    throw py::value_error(std::string(name) + " must have contiguous rows; pass numpy.ascontiguousarray(" + name + ")");
  }
  if (array.strides(0) % item != 0 || array.strides(0) < 0) {
    throw py::value_error(std::string(name) + " has a row stride that is not a positive multiple of its item size");
  }
  const Index rows = array.shape(0), cols = array.shape(1);
  const Index stride = rows > 1 ? array.strides(0) / item : cols;
  return MatrixView<T>(static_cast<const T*>(array.data()), rows, cols, std::max(stride, cols));
}

// A C-contiguous array of the exact dtype T and `ndim` dimensions, or TypeError.
template <class T>
py::array_t<T, py::array::c_style> exact_array(const py::array& array, const char* name, int ndim) {
  if (!has_dtype<T>(array) || array.ndim() != ndim ||
      !(array.flags() & py::array::c_style)) {
    throw py::type_error(std::string(name) + " must be a C-contiguous " + std::to_string(ndim) + "-D " +
                         std::string(py::str(py::dtype::of<T>())) + " array");
  }
  return py::array_t<T, py::array::c_style>::ensure(array);
}

}  // namespace pyod_fast::bindings
