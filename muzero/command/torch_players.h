#pragma once
// The evaluator factory of the muzero binary's players: native or LibTorch, by the config's
// self_play.inference (the torch-free muzero-role binary has the native one only).
#include <memory>

#include "models/network_evaluator.h"
#include "muzero/config.h"

namespace muzero {

std::unique_ptr<NetworkEvaluator> make_player_evaluator(const Config& config);

}  // namespace muzero
