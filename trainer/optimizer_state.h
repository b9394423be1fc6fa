#pragma once
// The optimizer's per-parameter state (Adam's moments and step count, SGD's momentum) in the
// project's own encoding (models/parameters.h), so that a checkpoint resumes under any LibTorch.
// LibTorch's own optimizer archives do not travel between versions: 1.13 keys each parameter's
// state by its TensorImpl address written in hexadecimal, 2.x parses the keys as decimal
// numbers, so a 1.13 state loaded by 2.x lands on the wrong parameters (a crash or a shape
// error at the first step after resuming).
#include <stdexcept>
#include <string>
#include <string_view>

namespace torch::optim {
class Optimizer;
}
namespace torch::serialize {
class InputArchive;
}

namespace muzero {

class OptimizerStateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One tensor per state field of each parameter that has a state, named "G.I/FIELD" for
// parameter I of group G: Adam's "step" (a scalar: exact up to 2^24 steps, and beyond that
// the bias correction it feeds is 1 to the last bit), "exp_avg", "exp_avg_sq" and, with
// amsgrad, "max_exp_avg_sq"; SGD's "momentum_buffer". Throws OptimizerStateError for an
// optimizer other than Adam or SGD.
std::string encode_optimizer_state(const torch::optim::Optimizer& optimizer);

// Replaces the optimizer's state with the decoded one. Throws OptimizerStateError, leaving the
// optimizer as it was, for a damaged encoding (models/parameters.h's checks: values that are
// not finite among them), another optimizer's fields, a parameter the optimizer does not
// have, a shape that is not its parameter's, a missing field, or a step that is not a whole
// number of at least 1.
void decode_optimizer_state(std::string_view bytes, torch::optim::Optimizer& optimizer);

// LibTorch's own optimizer archive (checkpoint formats 1 and 2, written by any LibTorch),
// matched to the parameters by their position in each group rather than by LibTorch's parsing
// of its keys, with the same checks as decode_optimizer_state.
void load_libtorch_optimizer_archive(torch::serialize::InputArchive& archive,
                                     torch::optim::Optimizer& optimizer);

}  // namespace muzero
