#include "trainer/optimizer_state.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <type_traits>
#include <utility>

#include "models/parameters.h"

namespace muzero {
namespace {

enum class Kind { kAdam, kSgd };

Kind kind_of(const torch::optim::Optimizer& optimizer) {
  if (dynamic_cast<const torch::optim::Adam*>(&optimizer) != nullptr) return Kind::kAdam;
  if (dynamic_cast<const torch::optim::SGD*>(&optimizer) != nullptr) return Kind::kSgd;
  throw OptimizerStateError("only Adam's and SGD's state can be saved");
}

// LibTorch 1.13 keys the state by the parameter's TensorImpl address as text, 2.x by the
// address itself.
using StateMap =
    std::remove_reference_t<decltype(std::declval<torch::optim::Optimizer&>().state())>;
using StateKey = StateMap::key_type;

template <typename Key>
Key key_as(const torch::Tensor& parameter) {
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream text;
    text << parameter.unsafeGetTensorImpl();
    return text.str();
  } else {
    return parameter.unsafeGetTensorImpl();
  }
}

StateKey key_of(const torch::Tensor& parameter) {
  return key_as<StateKey>(parameter);
}

// One parameter's saved fields, by name ("step", "exp_avg", ...), before they are checked.
struct SavedState {
  double step = -1;  // Adam's; -1 when absent
  std::map<std::string, torch::Tensor> tensors;
};
using SavedStates = std::map<std::pair<std::size_t, std::size_t>, SavedState>;  // (group, index)

std::string where(std::pair<std::size_t, std::size_t> position) {
  return "parameter " + std::to_string(position.first) + "." + std::to_string(position.second);
}

torch::Tensor field(SavedState& saved, const std::string& name,
                    std::pair<std::size_t, std::size_t> position, const torch::Tensor& parameter,
                    bool required) {
  const auto found = saved.tensors.find(name);
  if (found == saved.tensors.end()) {
    if (required) throw OptimizerStateError(where(position) + " has no " + name);
    return {};
  }
  torch::Tensor tensor = found->second;
  saved.tensors.erase(found);
  if (!tensor.defined()) {
    if (required) throw OptimizerStateError(where(position) + " has no " + name);
    return {};
  }
  if (tensor.sizes() != parameter.sizes()) {
    std::ostringstream message;
    message << where(position) << "'s " << name << " has shape " << tensor.sizes()
            << ", the parameter " << parameter.sizes();
    throw OptimizerStateError(message.str());
  }
  if (!torch::isfinite(tensor).all().item<bool>()) {
    throw OptimizerStateError(where(position) + "'s " + name + " holds values that are not finite");
  }
  return tensor.to(parameter.options()).clone();
}

// Checks every saved state against the optimizer and only then replaces its state.
void install(SavedStates saved_states, torch::optim::Optimizer& optimizer) {
  const Kind kind = kind_of(optimizer);
  std::vector<std::pair<StateKey, std::unique_ptr<torch::optim::OptimizerParamState>>> states;
  for (auto& [position, saved] : saved_states) {
    const auto& groups = optimizer.param_groups();
    if (position.first >= groups.size() ||
        position.second >= groups[position.first].params().size()) {
      throw OptimizerStateError("the state names " + where(position) +
                                ", which this optimizer does not have");
    }
    const torch::Tensor& parameter = groups[position.first].params()[position.second];
    if (kind == Kind::kAdam) {
      if (saved.step < 1 || saved.step != std::floor(saved.step) || saved.step > 9.2e18) {
        throw OptimizerStateError(where(position) +
                                  " has no Adam step count of a whole number >= 1 (not Adam's "
                                  "state?)");
      }
      auto state = std::make_unique<torch::optim::AdamParamState>();
      state->step(static_cast<int64_t>(saved.step));
      state->exp_avg(field(saved, "exp_avg", position, parameter, true));
      state->exp_avg_sq(field(saved, "exp_avg_sq", position, parameter, true));
      state->max_exp_avg_sq(field(saved, "max_exp_avg_sq", position, parameter, false));
      states.emplace_back(key_of(parameter), std::move(state));
    } else {
      if (saved.step >= 0)
        throw OptimizerStateError(where(position) + " has a step count: not SGD's state");
      auto state = std::make_unique<torch::optim::SGDParamState>();
      state->momentum_buffer(field(saved, "momentum_buffer", position, parameter, true));
      states.emplace_back(key_of(parameter), std::move(state));
    }
    if (!saved.tensors.empty()) {
      throw OptimizerStateError(where(position) + " has a field '" + saved.tensors.begin()->first +
                                "' that this optimizer does not keep");
    }
  }
  optimizer.state().clear();
  for (auto& [key, state] : states) optimizer.state()[key] = std::move(state);
}

NamedTensor to_named(const std::string& name, const torch::Tensor& tensor) {
  const torch::Tensor values = tensor.detach().to(torch::kCPU, torch::kFloat).contiguous();
  NamedTensor named;
  named.name = name;
  for (const int64_t size : values.sizes()) named.shape.push_back(static_cast<int>(size));
  named.values.assign(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
  return named;
}

}  // namespace

std::string encode_optimizer_state(const torch::optim::Optimizer& optimizer) {
  const Kind kind = kind_of(optimizer);
  Parameters encoded;
  const auto& groups = optimizer.param_groups();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (std::size_t i = 0; i < groups[g].params().size(); ++i) {
      const auto found = optimizer.state().find(key_of(groups[g].params()[i]));
      if (found == optimizer.state().end() || found->second == nullptr) continue;
      const std::string prefix = std::to_string(g) + "." + std::to_string(i) + "/";
      if (kind == Kind::kAdam) {
        const auto& state = static_cast<const torch::optim::AdamParamState&>(*found->second);
        NamedTensor step{prefix + "step", {}, {static_cast<float>(state.step())}};
        encoded.tensors.push_back(std::move(step));
        encoded.tensors.push_back(to_named(prefix + "exp_avg", state.exp_avg()));
        encoded.tensors.push_back(to_named(prefix + "exp_avg_sq", state.exp_avg_sq()));
        if (state.max_exp_avg_sq().defined()) {
          encoded.tensors.push_back(to_named(prefix + "max_exp_avg_sq", state.max_exp_avg_sq()));
        }
      } else {
        const auto& state = static_cast<const torch::optim::SGDParamState&>(*found->second);
        if (!state.momentum_buffer().defined()) continue;
        encoded.tensors.push_back(to_named(prefix + "momentum_buffer", state.momentum_buffer()));
      }
    }
  }
  return encode_parameters(encoded);
}

void decode_optimizer_state(std::string_view bytes, torch::optim::Optimizer& optimizer) {
  Parameters decoded;
  try {
    decoded = decode_parameters(bytes);
  } catch (const ParametersError& error) {
    throw OptimizerStateError(std::string("damaged optimizer state: ") + error.what());
  }
  SavedStates saved;
  for (NamedTensor& tensor : decoded.tensors) {
    std::size_t group = 0, index = 0;
    int consumed = 0;
    const std::size_t slash = tensor.name.find('/');
    if (slash == std::string::npos ||
        std::sscanf(tensor.name.c_str(), "%zu.%zu/%n", &group, &index, &consumed) != 2 ||
        static_cast<std::size_t>(consumed) != slash + 1) {
      throw OptimizerStateError("optimizer state tensor '" + tensor.name +
                                "' is not named GROUP.INDEX/FIELD");
    }
    SavedState& state = saved[{group, index}];
    const std::string name = tensor.name.substr(slash + 1);
    if (name == "step") {
      if (!tensor.shape.empty()) throw OptimizerStateError(tensor.name + " is not a scalar");
      state.step = tensor.values.at(0);
      continue;
    }
    std::vector<int64_t> shape(tensor.shape.begin(), tensor.shape.end());
    state.tensors[name] = torch::from_blob(tensor.values.data(), shape, torch::kFloat).clone();
  }
  install(std::move(saved), optimizer);
}

void load_libtorch_optimizer_archive(torch::serialize::InputArchive& archive,
                                     torch::optim::Optimizer& optimizer) {
  const auto fail = [](const std::string& what) {
    throw OptimizerStateError("LibTorch optimizer archive: " + what);
  };
  try {
    torch::serialize::InputArchive state_archive, groups_archive;
    if (!archive.try_read("state", state_archive)) fail("no 'state'");
    if (!archive.try_read("param_groups", groups_archive)) fail("no 'param_groups'");
    torch::Tensor group_count;
    if (!groups_archive.try_read("param_groups/size", group_count)) fail("no group count");
    SavedStates saved;
    for (int64_t g = 0; g < group_count.item<int64_t>(); ++g) {
      torch::serialize::InputArchive group;
      if (!groups_archive.try_read("param_groups/" + std::to_string(g), group)) fail("no group");
      torch::Tensor size;
      if (!group.try_read("params/size", size)) fail("no parameter count");
      for (int64_t i = 0; i < size.item<int64_t>(); ++i) {
        c10::IValue key;
        if (!group.try_read("params/" + std::to_string(i), key)) fail("no parameter key");
        torch::serialize::InputArchive param_state;
        if (!state_archive.try_read(key.toStringRef(), param_state)) continue;  // no state
        SavedState& state = saved[{static_cast<std::size_t>(g), static_cast<std::size_t>(i)}];
        for (const std::string& name : param_state.keys()) {
          c10::IValue value;
          param_state.read(name, value);
          if (name == "step") {
            state.step = static_cast<double>(value.toInt());
          } else if (value.isTensor()) {
            state.tensors[name] = value.toTensor();
          } else if (!value.isNone()) {
            fail("field '" + name + "' is not a tensor");
          }
        }
      }
    }
    install(std::move(saved), optimizer);
  } catch (const c10::Error& error) {
    fail(error.what_without_backtrace());
  }
}

}  // namespace muzero
