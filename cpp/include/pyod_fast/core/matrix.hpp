// Non-owning views of caller-owned row-major matrices.
//
// Every kernel reads its input through MatrixView: a pointer, a shape and a
// row stride in elements, so NumPy arrays are used in place when their rows
// are contiguous. The caller keeps the buffer alive for the whole call.
#pragma once

#include <cstdint>

#include "pyod_fast/core/errors.hpp"

namespace pyod_fast {

using Index = std::int64_t;

template <class T>
struct MatrixView {
  const T* data = nullptr;
  Index rows = 0;
  Index cols = 0;
  Index row_stride = 0;  // distance between consecutive rows, in elements

  MatrixView() = default;
  MatrixView(const T* data_, Index rows_, Index cols_, Index row_stride_ = -1)
      : data(data_), rows(rows_), cols(cols_), row_stride(row_stride_ < 0 ? cols_ : row_stride_) {
    PYOD_FAST_REQUIRE(rows >= 0 && cols >= 0, "a matrix view needs a non-negative shape, got (", rows, ", ",
                      cols, ")");
    PYOD_FAST_REQUIRE(row_stride >= cols, "the row stride (", row_stride, ") is smaller than the row length (",
                      cols, ")");
  }

  const T* row(Index i) const { return data + i * row_stride; }
};

}  // namespace pyod_fast
