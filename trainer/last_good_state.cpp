#include "trainer/last_good_state.h"

namespace muzero {

std::optional<std::string> LastGoodState::save() {
  try {
    trainer_.save_checkpoint(path_, config_yaml_);
  } catch (const std::exception& error) {  // FileWriteError, CheckpointError
    return error.what();
  }
  returns_without_save_ = 0;
  return std::nullopt;
}

bool LastGoodState::go_back_if_not_finite(const std::string& why) {
  if (all_finite(trainer_.network())) return false;
  if (++returns_without_save_ > kMaxReturnsWithoutSave) {
    throw std::runtime_error(why + ", " + std::to_string(kMaxReturnsWithoutSave) +
                             " times since the last save: training diverges (try a lower "
                             "training.lr_init)");
  }
  trainer_.load_checkpoint(path_);
  return true;
}

}  // namespace muzero
