// Thread pool access, exception transport and interruption for the kernels.
//
// Kernels never start threads of their own: they run OpenMP loops through
// parallel_for, which keeps the first exception a worker throws and rethrows it
// on the calling thread after the loop (an exception must not leave an OpenMP
// region). Results never depend on the thread count because every task writes
// only its own rows of the output.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "pyod_fast/core/errors.hpp"

namespace pyod_fast::core {

// Number of threads that OpenMP may use: all logical cores by default.
inline int max_threads() {
#ifdef _OPENMP
  return std::max(1, omp_get_max_threads());
#else
  return 1;
#endif
}

// Maps scikit-learn's n_jobs convention onto a positive thread count:
// n_jobs > 0 is taken as is, -1 means all cores, -2 all but one, and so on.
inline int resolve_threads(int n_jobs) {
  if (n_jobs > 0) return n_jobs;
  PYOD_FAST_REQUIRE(n_jobs != 0, "n_jobs must not be 0: use a positive count, or -1 for all cores");
  return std::max(1, max_threads() + 1 + n_jobs);
}

// Hook that reports whether the user asked to stop (for example a pending
// SIGINT in the host interpreter). It is called from the calling thread only.
using InterruptHook = bool (*)();

inline std::atomic<InterruptHook>& interrupt_hook() {
  static std::atomic<InterruptHook> hook{nullptr};
  return hook;
}

// Runs body(task) for task in [0, n_tasks) on up to n_threads threads, with
// dynamic scheduling because tasks (blocks of rows) can differ in cost.
// Between tasks the calling thread polls the interrupt hook; once it fires, or
// once any task throws, the remaining tasks are skipped and the first
// exception is rethrown here.
template <class Body>
void parallel_for(std::int64_t n_tasks, int n_threads, Body&& body) {
  if (n_tasks <= 0) return;
  n_threads = static_cast<int>(std::max<std::int64_t>(1, std::min<std::int64_t>(n_threads, n_tasks)));

  std::exception_ptr first_error;
  std::mutex error_mutex;
  std::atomic<bool> stop{false};
  InterruptHook hook = interrupt_hook().load();

  auto run_one = [&](std::int64_t task, bool is_caller) {
    if (stop.load(std::memory_order_relaxed)) return;
    if (is_caller && hook != nullptr && hook()) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!first_error) first_error = std::make_exception_ptr(Interrupted());
      stop = true;
      return;
    }
    try {
      body(task);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
      stop = true;
    }
  };

#ifdef _OPENMP
  if (n_threads > 1) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(n_threads)
    for (std::int64_t task = 0; task < n_tasks; ++task) {
      run_one(task, omp_get_thread_num() == 0);
    }
  } else {
    for (std::int64_t task = 0; task < n_tasks; ++task) run_one(task, true);
  }
#else
  for (std::int64_t task = 0; task < n_tasks; ++task) run_one(task, true);
#endif

  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace pyod_fast::core
