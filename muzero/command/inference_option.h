#pragma once
// The --inference option of the commands that run a checkpoint (evaluate, analyze, diagnose):
// one list of the backends, one help text.
#include <CLI/CLI.hpp>

#include <string>

namespace muzero {

inline void add_inference_option(CLI::App& command, std::string& inference) {
  command
      .add_option("--inference", inference,
                  "Inference backend (default: the checkpoint's self_play.inference)")
      ->check(CLI::IsMember({"auto", "native", "torch"}));
}

}  // namespace muzero
