// ParallelFor: splits [0, count) into contiguous ranges run on the available cores (the calling
// thread takes the first). For the CPU-only stages of ingest — decoding and canonical text — whose
// items are independent; small inputs run inline, where a thread would cost more than it saves.
#pragma once

#include <algorithm>
#include <cstddef>
#include <future>
#include <thread>
#include <vector>

namespace onecard {

template <typename Work>
void ParallelFor(size_t count, size_t items_per_thread_min, const Work& work) {
  constexpr size_t kThreadsMax = 8;
  const size_t cores = std::max<size_t>(1, std::thread::hardware_concurrency());
  const size_t threads =
      std::min({kThreadsMax, cores, std::max<size_t>(1, count / items_per_thread_min)});
  if (threads <= 1) {
    work(size_t{0}, count);
    return;
  }
  const size_t per_thread = (count + threads - 1) / threads;
  std::vector<std::future<void>> others;
  for (size_t t = 1; t < threads; ++t) {
    const size_t begin = std::min(count, t * per_thread);
    const size_t end = std::min(count, begin + per_thread);
    others.push_back(std::async(std::launch::async, [&work, begin, end] { work(begin, end); }));
  }
  work(size_t{0}, std::min(count, per_thread));
  for (std::future<void>& other : others) other.get();
}

}  // namespace onecard
