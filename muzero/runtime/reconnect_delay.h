#pragma once
// How long a worker that lost its run waits before trying again: the delay doubles with each
// failed attempt, from `first` up to `longest`, and each is drawn from [delay/2, delay] so that
// workers cut off together (a learner restart) do not all come back in the same instant.
#include <algorithm>
#include <chrono>
#include <random>

namespace muzero {

inline std::chrono::milliseconds reconnect_delay(
    int attempt, std::mt19937_64& rng, std::chrono::milliseconds first = std::chrono::seconds(1),
    std::chrono::milliseconds longest = std::chrono::seconds(30)) {
  const int doublings = std::clamp(attempt, 0, 30);
  const double full = std::min(static_cast<double>(longest.count()),
                               static_cast<double>(first.count()) * double(1ull << doublings));
  std::uniform_real_distribution<double> share(0.5, 1.0);
  return std::chrono::milliseconds(static_cast<long>(full * share(rng)));
}

}  // namespace muzero
