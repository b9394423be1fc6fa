#include "muzero/ipc/reanalyse_messages.h"

#include <cmath>
#include <string>

namespace muzero {
namespace {

void check(bool ok, const char* what) {
  if (!ok) throw DecodeError(std::string("malformed reanalyse message: ") + what);
}

void put_windows(PayloadWriter& w, const std::vector<ReanalyseWindow>& windows) {
  std::vector<std::uint64_t> ids;
  std::vector<std::int32_t> bounds;  // first, count, first, count, ...
  for (const ReanalyseWindow& window : windows) {
    ids.push_back(window.game_id);
    bounds.push_back(window.first);
    bounds.push_back(window.count);
  }
  w.put_vector<std::uint64_t>(ids);
  w.put_vector<std::int32_t>(bounds);
}

// Returns the windows and the number of positions they hold.
std::vector<ReanalyseWindow> get_windows(PayloadReader& r, const ReanalyseShape& shape,
                                         std::size_t& positions) {
  const auto ids = r.get_vector<std::uint64_t>();
  const auto bounds = r.get_vector<std::int32_t>();
  check(bounds.size() == 2 * ids.size(), "windows");
  check(ids.size() <= static_cast<std::size_t>(shape.max_windows), "too many windows");
  std::vector<ReanalyseWindow> windows;
  positions = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const int first = bounds[2 * i], count = bounds[2 * i + 1];
    check(first >= 0 && count >= 1 && count <= shape.max_window, "window bounds");
    windows.push_back({ids[i], first, count});
    positions += static_cast<std::size_t>(count);
  }
  return windows;
}

bool all_finite(const std::vector<float>& values) {
  for (float v : values) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

}  // namespace

std::vector<std::byte> encode_reanalyse_work(const ReanalyseWork& work) {
  PayloadWriter w;
  put_windows(w, work.windows);
  w.put_vector<float>(work.observations);
  w.put_vector<std::int32_t>(work.to_play);
  w.put_vector<std::uint8_t>(work.legal_masks);
  return std::move(w.bytes());
}

ReanalyseWork decode_reanalyse_work(std::span<const std::byte> payload,
                                    const ReanalyseShape& shape) {
  PayloadReader r(payload);
  ReanalyseWork work;
  work.observation_size = shape.observation_size;
  work.action_space_size = shape.action_space_size;
  std::size_t P = 0;
  work.windows = get_windows(r, shape, P);
  work.observations = r.get_vector<float>();
  work.to_play = r.get_vector<std::int32_t>();
  work.legal_masks = r.get_vector<std::uint8_t>();
  r.expect_end();
  const std::size_t A = static_cast<std::size_t>(shape.action_space_size);
  check(work.observations.size() == P * static_cast<std::size_t>(shape.observation_size),
        "observation count");
  check(work.to_play.size() == P && work.legal_masks.size() == P * A, "per-position count");
  check(all_finite(work.observations), "an observation that is not finite");
  for (std::int32_t player : work.to_play) check(player >= 0, "player");
  for (std::size_t p = 0; p < P; ++p) {
    bool any = false;
    for (std::size_t a = 0; a < A; ++a) {
      check(work.legal_masks[p * A + a] <= 1, "legal move flag");
      any = any || work.legal_masks[p * A + a] == 1;
    }
    check(any, "a position without legal moves");
  }
  return work;
}

std::vector<std::byte> encode_reanalysed_targets(const ReanalysedTargets& targets) {
  PayloadWriter w;
  w.put<std::int64_t>(targets.weights_step);
  put_windows(w, targets.windows);
  w.put_vector<float>(targets.policies);
  w.put_vector<float>(targets.root_values);
  return std::move(w.bytes());
}

ReanalysedTargets decode_reanalysed_targets(std::span<const std::byte> payload,
                                            const ReanalyseShape& shape) {
  PayloadReader r(payload);
  ReanalysedTargets targets;
  targets.weights_step = r.get<std::int64_t>();
  check(targets.weights_step >= 0, "weights step");
  std::size_t P = 0;
  targets.windows = get_windows(r, shape, P);
  targets.policies = r.get_vector<float>();
  targets.root_values = r.get_vector<float>();
  r.expect_end();
  check(targets.policies.size() == P * static_cast<std::size_t>(shape.action_space_size) &&
            targets.root_values.size() == P,
        "target count");
  check(all_finite(targets.policies) && all_finite(targets.root_values),
        "a target that is not finite");
  for (float p : targets.policies) check(p >= 0.0f && p <= 1.0f, "policy out of [0, 1]");
  return targets;
}

std::size_t max_reanalyse_payload(const ReanalyseShape& shape) {
  const std::size_t P = static_cast<std::size_t>(shape.max_window) * shape.max_windows;
  const std::size_t O = static_cast<std::size_t>(shape.observation_size);
  const std::size_t A = static_cast<std::size_t>(shape.action_space_size);
  const std::size_t windows = static_cast<std::size_t>(shape.max_windows) * (8 + 8);
  return 8 + 5 * 8 + windows + P * (4 * O + 4 + A + 4 * A + 4);
}

}  // namespace muzero
