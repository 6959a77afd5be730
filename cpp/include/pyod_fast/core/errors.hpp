// Error handling shared by every kernel.
//
// Two tiers, as in the design notes of docs/architecture.md:
//   * PYOD_FAST_REQUIRE checks a precondition that a caller can break (a shape,
//     a parameter) and throws std::invalid_argument, which pybind11 turns into
//     ValueError.
//   * assert() checks internal invariants only and vanishes in release builds.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace pyod_fast::core {

// Thrown when the interrupt hook reported a pending signal (Ctrl-C).
// The bindings translate it into KeyboardInterrupt.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("the computation was interrupted") {}
};

namespace detail {
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}
}  // namespace detail

}  // namespace pyod_fast::core

// Throws std::invalid_argument with the streamed message parts when `condition`
// is false. Example: PYOD_FAST_REQUIRE(k > 0, "k must be positive, got ", k);
#define PYOD_FAST_REQUIRE(condition, ...)                                  \
  do {                                                                     \
    if (!(condition)) {                                                    \
      throw std::invalid_argument(::pyod_fast::core::detail::concat(__VA_ARGS__)); \
    }                                                                      \
  } while (false)
