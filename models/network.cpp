#include "models/network.h"

#include <torch/torch.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "models/layers.h"

namespace muzero {

std::shared_ptr<MuZeroNetwork> make_fully_connected_network(const NetworkParams&, ObservationShape,
                                                            int);
std::shared_ptr<MuZeroNetwork> make_residual_network(const NetworkParams&, ObservationShape, int);

std::shared_ptr<MuZeroNetwork> make_network(const NetworkParams& params, ObservationShape shape,
                                            int action_space_size) {
  if (params.type == "fully_connected") {
    return make_fully_connected_network(params, shape, action_space_size);
  }
  if (params.type == "residual") return make_residual_network(params, shape, action_space_size);
  throw std::invalid_argument("unknown network type '" + params.type + "'");
}

torch::Tensor scale_gradient(const torch::Tensor& x, double scale) {
  // A view with a hook on its gradient: one operation forward and one backward, where
  // x * scale + x.detach() * (1 - scale) costs three each (the unroll is op-bound).
  torch::Tensor y = x.view_as(x);
  if (y.requires_grad()) y.register_hook([scale](const torch::Tensor& g) { return g * scale; });
  return y;
}

torch::Tensor scale_gradient(const torch::Tensor& x, const torch::Tensor& scale) {
  return x * scale + x.detach() * (1.0 - scale);
}

UnrollOutput MuZeroNetwork::unroll_step_by_step(const torch::Tensor& observations,
                                                const torch::Tensor& actions,
                                                double state_gradient_scale) {
  const int64_t K = actions.size(1);
  NetworkOutput output = initial_inference(observations);
  std::vector<torch::Tensor> values{output.value_logits}, rewards, policies{output.policy_logits},
      states{output.hidden_state};
  for (int64_t k = 0; k < K; ++k) {
    const torch::Tensor input =
        k == 0 ? output.hidden_state : scale_gradient(output.hidden_state, state_gradient_scale);
    output = recurrent_inference(input, actions.select(1, k));
    values.push_back(output.value_logits);
    rewards.push_back(output.reward_logits);
    policies.push_back(output.policy_logits);
    states.push_back(output.hidden_state);
  }
  UnrollOutput unrolled;
  unrolled.value_logits = torch::stack(values, 1);
  unrolled.policy_logits = torch::stack(policies, 1);
  unrolled.hidden_states = torch::stack(states, 1);
  unrolled.reward_logits =
      K > 0 ? torch::stack(rewards, 1)
            : torch::zeros({observations.size(0), 0, unrolled.value_logits.size(2)},
                           unrolled.value_logits.options());
  return unrolled;
}

torch::nn::Sequential make_mlp(int input_size, const std::vector<int>& hidden_sizes,
                               int output_size) {
  torch::nn::Sequential mlp;
  int in = input_size;
  for (int size : hidden_sizes) {
    mlp->push_back(torch::nn::Linear(in, size));
    mlp->push_back(torch::nn::ELU());
    in = size;
  }
  mlp->push_back(torch::nn::Linear(in, output_size));
  return mlp;
}

torch::Tensor scale_hidden_state(const torch::Tensor& x) {
  const torch::Tensor flat = x.flatten(2);
  const torch::Tensor min = std::get<0>(flat.min(2, true));
  const torch::Tensor max = std::get<0>(flat.max(2, true));
  torch::Tensor scale = max - min;
  scale = torch::where(scale < 1e-5, scale + 1e-5, scale);
  return ((flat - min) / scale).view(x.sizes());
}

std::string serialize_weights(MuZeroNetwork& network) {
  torch::serialize::OutputArchive archive;
  network.save(archive);
  std::ostringstream out;
  archive.save_to(out);
  return out.str();
}

namespace {

std::vector<std::vector<int64_t>> tensor_shapes(MuZeroNetwork& network) {
  std::vector<std::vector<int64_t>> shapes;
  for (const auto& p : network.named_parameters(true)) shapes.push_back(p.value().sizes().vec());
  for (const auto& b : network.named_buffers(true)) shapes.push_back(b.value().sizes().vec());
  return shapes;
}

std::vector<std::pair<std::string, torch::Tensor>> float_tensors(MuZeroNetwork& network) {
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (const auto& p : network.named_parameters(true)) tensors.emplace_back(p.key(), p.value());
  for (const auto& b : network.named_buffers(true)) {
    if (b.value().is_floating_point()) tensors.emplace_back(b.key(), b.value());
  }
  return tensors;
}

}  // namespace

Parameters to_parameters(MuZeroNetwork& network) {
  torch::NoGradGuard no_grad;
  Parameters parameters;
  for (const auto& [name, tensor] : float_tensors(network)) {
    const torch::Tensor values = tensor.detach().to(torch::kCPU, torch::kFloat).contiguous();
    NamedTensor named{name, {}, {}};
    for (const auto size : values.sizes()) named.shape.push_back(static_cast<int>(size));
    named.values.assign(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
    parameters.tensors.push_back(std::move(named));
  }
  return parameters;
}

void load_parameters(MuZeroNetwork& network, const Parameters& parameters) {
  ParameterLayout layout;
  auto tensors = float_tensors(network);
  for (const auto& [name, tensor] : tensors) {
    TensorSpec spec{name, {}};
    for (const auto size : tensor.sizes()) spec.shape.push_back(static_cast<int>(size));
    layout.push_back(std::move(spec));
  }
  check_layout(parameters, layout);  // every tensor present, none extra, shapes equal
  for (const NamedTensor& named : parameters.tensors) {
    for (float value : named.values) {
      if (!std::isfinite(value)) {
        throw ParametersError("tensor " + named.name + " holds values that are not finite");
      }
    }
  }
  torch::NoGradGuard no_grad;
  for (auto& [name, tensor] : tensors) {
    const NamedTensor& named = parameters.at(name);
    const torch::Tensor source =
        torch::from_blob(const_cast<float*>(named.values.data()), tensor.sizes(), torch::kFloat);
    tensor.copy_(source);
  }
}

bool all_finite(MuZeroNetwork& network) {
  torch::NoGradGuard no_grad;
  for (const auto& p : network.parameters(true)) {
    if (!torch::isfinite(p).all().item<bool>()) return false;
  }
  for (const auto& b : network.buffers(true)) {
    if (b.is_floating_point() && !torch::isfinite(b).all().item<bool>()) return false;
  }
  return true;
}

void deserialize_weights(MuZeroNetwork& network, const std::string& bytes) {
  // Module::load replaces tensors whatever their shape, so check the shapes afterwards and put
  // the old weights back if they changed.
  const auto shapes = tensor_shapes(network);
  const std::string backup = serialize_weights(network);
  auto load = [&](const std::string& data) {
    torch::serialize::InputArchive archive;
    std::istringstream in(data);
    archive.load_from(in);
    network.load(archive);
  };
  std::string problem;
  try {
    load(bytes);
    if (tensor_shapes(network) != shapes) {
      problem = "their tensor shapes differ (another architecture)";
    } else if (!all_finite(network)) {
      problem = "they hold values that are not finite (NaN or infinity)";
    }
  } catch (const c10::Error& error) {
    problem = error.what_without_backtrace();
  }
  if (!problem.empty()) {
    load(backup);
    throw std::runtime_error("weights do not fit this network: " + problem);
  }
}

}  // namespace muzero
