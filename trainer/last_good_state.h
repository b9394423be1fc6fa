#pragma once
// The trainer's last good state: its checkpoint file, which never holds weights that are not
// finite. A step that left the weights NaN or infinite (a gradient that overflowed) is undone by
// going back to it; training that keeps diverging right after is given up on rather than
// retried forever.
#include <optional>
#include <stdexcept>
#include <string>

#include "trainer/trainer.h"

namespace muzero {

class LastGoodState {
 public:
  // How often in a row the trainer may go back without a save in between.
  static constexpr int kMaxReturnsWithoutSave = 5;

  LastGoodState(Trainer& trainer, std::string checkpoint_path, std::string config_yaml)
      : trainer_(trainer),
        path_(std::move(checkpoint_path)),
        config_yaml_(std::move(config_yaml)) {}

  // Writes the checkpoint; the reason it could not (a full disk: FileWriteError's words, weights
  // that are not finite), the previous file then unchanged.
  std::optional<std::string> save();

  // When the weights are no longer finite, loads the checkpoint and returns true; throws
  // std::runtime_error naming `why` after kMaxReturnsWithoutSave returns without a save.
  bool go_back_if_not_finite(const std::string& why);

 private:
  Trainer& trainer_;
  std::string path_;
  std::string config_yaml_;
  int returns_without_save_ = 0;
};

}  // namespace muzero
