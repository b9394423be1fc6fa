#pragma once
// Payload encodings of the reanalyse messages (replay_buffer/reanalyse_work.h). Decoding checks
// sizes against each other and against the run (its action space, observation size and unroll
// length), that every number is finite and that policies give weight to legal moves only where
// the work says which are legal; it throws DecodeError otherwise.
#include <cstdint>
#include <span>
#include <vector>

#include "muzero/ipc/wire.h"
#include "replay_buffer/reanalyse_work.h"

namespace muzero {

// What a run's messages must fit.
struct ReanalyseShape {
  int observation_size = 0;
  int action_space_size = 0;
  int max_window = 0;   // K + 1
  int max_windows = 0;  // per message
};

// kReanalyseWork
std::vector<std::byte> encode_reanalyse_work(const ReanalyseWork& work);
ReanalyseWork decode_reanalyse_work(std::span<const std::byte> payload,
                                    const ReanalyseShape& shape);

// kReanalysedTargets
std::vector<std::byte> encode_reanalysed_targets(const ReanalysedTargets& targets);
ReanalysedTargets decode_reanalysed_targets(std::span<const std::byte> payload,
                                            const ReanalyseShape& shape);

// The largest payload of either message for a run of this shape: the frame limit.
std::size_t max_reanalyse_payload(const ReanalyseShape& shape);

}  // namespace muzero
