// The native CPU backend against LibTorch: the same layout, the same parameters, and the same
// numbers within 1e-5 on random networks of every fully connected variant and on every shipped
// checkpoint. Also the parameters' way from a LibTorch module and back.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <map>
#include <random>

#include "games/registry.h"
#include "models/evaluator_factory.h"
#include "models/native/backends.h"
#include "models/network.h"
#include "models/network_layout.h"
#include "models/torch_evaluator.h"
#include "muzero/agent.h"

namespace muzero {
namespace {

NetworkParams fully_connected(const std::string& variant) {
  NetworkParams p;
  p.encoding_size = 6;
  p.support_size = 4;
  p.support_scale = 3;
  p.fc_representation_layers = {12};
  p.fc_dynamics_layers = {10, 8};
  p.fc_reward_layers = {7};
  p.fc_value_layers = {5};
  p.fc_policy_layers = {};
  if (variant == "per_action") p.fc_action_input = "per_action";
  if (variant == "conv") {
    p.fc_conv_channels = 3;
    p.fc_conv_kernel = 2;
  }
  return p;
}

NetworkParams residual() {
  NetworkParams p;
  p.type = "residual";
  p.blocks = 2;
  p.channels = 4;
  p.reduced_channels_reward = 2;
  p.reduced_channels_value = 3;
  p.reduced_channels_policy = 2;
  return p;
}

// Every parameter and floating-point buffer of the module, as network_layout should list it.
ParameterLayout module_layout(MuZeroNetwork& network) {
  ParameterLayout layout;
  for (const NamedTensor& t : to_parameters(network).tensors) layout.push_back({t.name, t.shape});
  return layout;
}

TEST(NetworkLayout, EqualsTheLibTorchModules) {
  const ObservationShape shape{2, 3, 4};
  for (const NetworkParams& p : {fully_connected("one_hot"), fully_connected("per_action"),
                                 fully_connected("conv"), residual()}) {
    auto network = make_network(p, shape, 5);
    const ParameterLayout expected = module_layout(*network);
    const ParameterLayout layout = network_layout(p, shape, 5);
    ASSERT_EQ(layout.size(), expected.size()) << p.type << " " << p.fc_action_input;
    for (std::size_t i = 0; i < layout.size(); ++i) {
      EXPECT_EQ(layout[i].name, expected[i].name);
      EXPECT_EQ(layout[i].shape, expected[i].shape) << layout[i].name;
    }
    EXPECT_EQ(encoded_parameters_size(layout), encode_parameters(to_parameters(*network)).size());
  }
}

TEST(Parameters, LibTorchRoundTripAndRefusal) {
  torch::manual_seed(3);
  const ObservationShape shape{1, 1, 4};
  auto a = make_network(fully_connected("one_hot"), shape, 2);
  auto b = make_network(fully_connected("one_hot"), shape, 2);
  const torch::Tensor obs = torch::randn({3, 1, 1, 4});
  load_parameters(*b, decode_parameters(encode_parameters(to_parameters(*a))));
  EXPECT_TRUE(
      torch::equal(a->initial_inference(obs).value_logits, b->initial_inference(obs).value_logits));

  NetworkParams wider = fully_connected("one_hot");
  wider.encoding_size = 9;
  auto other = make_network(wider, shape, 2);
  const std::string before = serialize_weights(*other);
  EXPECT_THROW(load_parameters(*other, to_parameters(*a)), ParametersError);
  Parameters nan = to_parameters(*other);
  nan.tensors.back().values[0] = std::nanf("");
  EXPECT_THROW(load_parameters(*other, nan), ParametersError);
  EXPECT_EQ(serialize_weights(*other), before) << "a refused load leaves the network as it was";
  // A residual network's batch-norm statistics travel too.
  auto r1 = make_network(residual(), {2, 3, 4}, 5);
  auto r2 = make_network(residual(), {2, 3, 4}, 5);
  Parameters stats = to_parameters(*r1);
  for (NamedTensor& t : stats.tensors) {
    if (t.name.ends_with("running_var")) std::fill(t.values.begin(), t.values.end(), 2.5f);
  }
  load_parameters(*r2, stats);
  r2->eval();
  for (const auto& buffer : r2->named_buffers(true)) {
    if (buffer.key().ends_with("running_var")) {
      EXPECT_TRUE(torch::allclose(buffer.value(), torch::full_like(buffer.value(), 2.5)));
    }
  }
}

// |a - b| within `tolerance` (1e-5), relative to the size of the numbers beyond 1.
void expect_close(std::span<const float> native, std::span<const float> reference,
                  const std::string& what, float tolerance = 1e-5f) {
  ASSERT_EQ(native.size(), reference.size()) << what;
  for (std::size_t i = 0; i < native.size(); ++i) {
    EXPECT_NEAR(native[i], reference[i], tolerance * std::max(1.0f, std::abs(reference[i])))
        << what << " " << i;
  }
}

// Runs the same initial inference and a chain of recurrent inferences (random actions, slots
// reused, a slot its own parent's) on both evaluators and compares every output.
void expect_same_outputs(NetworkEvaluator& native, NetworkEvaluator& reference,
                         const std::vector<float>& observations, int batch, int actions,
                         std::uint64_t seed, float tolerance = 1e-5f) {
  std::mt19937 rng(seed);
  native.reserve_states(4 * batch);
  reference.reserve_states(4 * batch);
  std::vector<int> slots(batch);
  for (int b = 0; b < batch; ++b) slots[b] = 2 * b;
  InferenceOutputs n, r;
  native.initial_inference(observations, slots, n);
  reference.initial_inference(observations, slots, r);
  expect_close(n.values, r.values, "initial values", tolerance);
  expect_close(n.policy_logits, r.policy_logits, "initial policy", tolerance);
  for (int depth = 0; depth < 5; ++depth) {
    std::vector<int> parents = slots, children(batch);
    std::vector<Action> moves(batch);
    for (int b = 0; b < batch; ++b) {
      moves[b] = static_cast<Action>(rng() % actions);
      children[b] = depth == 2 ? parents[b] : static_cast<int>(rng() % (4 * batch));
    }
    // Children must be distinct within a call (the search never writes one slot twice).
    std::sort(children.begin(), children.end());
    if (depth != 2 && std::adjacent_find(children.begin(), children.end()) != children.end()) {
      for (int b = 0; b < batch; ++b) children[b] = 4 * batch - 1 - b;
    }
    native.recurrent_inference(parents, moves, children, n);
    reference.recurrent_inference(parents, moves, children, r);
    const std::string at = "depth " + std::to_string(depth) + " ";
    expect_close(n.values, r.values, at + "values", tolerance);
    expect_close(n.rewards, r.rewards, at + "rewards", tolerance);
    expect_close(n.policy_logits, r.policy_logits, at + "policy", tolerance);
    slots = children;
  }
}

TEST(NativeEvaluator, AgreesWithLibTorchOnRandomNetworks) {
  const ObservationShape shape{2, 3, 4};
  const int actions = 5, batch = 6;
  for (const std::string variant : {"one_hot", "per_action", "conv"}) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      torch::manual_seed(seed);
      const NetworkParams p = fully_connected(variant);
      auto network = make_network(p, shape, actions);
      {
        // Larger weights than the initialisation's, so that the heads' outputs spread over the
        // support and the ELUs see negative inputs.
        torch::NoGradGuard no_grad;
        for (auto& parameter : network->parameters()) parameter.mul_(3.0);
      }
      TorchEvaluator reference(network, shape, torch::kCPU);
      auto native = make_native_evaluator(p, shape, actions);
      native->load(decode_parameters(encode_parameters(to_parameters(*network))));
      const torch::Tensor observations = torch::randn({batch * shape.size()});
      const std::vector<float> obs(observations.data_ptr<float>(),
                                   observations.data_ptr<float>() + observations.numel());
      SCOPED_TRACE(variant + " seed " + std::to_string(seed));
      expect_same_outputs(*native, reference, obs, batch, actions, seed);
      EXPECT_EQ(native->calls(), 6);
      EXPECT_EQ(native->inferences(), 6 * batch);
    }
  }
}

// The residual network in evaluation mode (as players run it), with batch-norm statistics and
// affine parameters away from their initial 0 / 1, so that folding them into the convolutions
// is tested.
TEST(NativeEvaluator, AgreesWithLibTorchOnRandomResidualNetworks) {
  const ObservationShape shape{2, 3, 4};
  const int actions = 5, batch = 4;
  // The convolutions' channel tiles: 4 channels (one at a time), 40 (32 and 8), 16 (16), 31
  // (16, 8 and seven one at a time).
  const std::map<std::uint64_t, int> channels{{1, 4}, {2, 40}, {3, 16}, {4, 31}};
  for (const auto& [seed, channel_count] : channels) {
    torch::manual_seed(seed);
    NetworkParams p = residual();
    p.resnet_fc_value_layers = {6};
    p.channels = channel_count;
    auto network = make_network(p, shape, actions);
    {
      torch::NoGradGuard no_grad;
      for (auto& parameter : network->parameters()) parameter.mul_(2.0);
      for (auto& buffer : network->named_buffers(true)) {
        if (buffer.key().ends_with("running_mean")) buffer.value().normal_(0.0, 0.5);
        if (buffer.key().ends_with("running_var")) buffer.value().uniform_(0.5, 2.0);
      }
      for (auto& parameter : network->named_parameters(true)) {
        if (parameter.key().find("bn") != std::string::npos) parameter.value().uniform_(0.5, 1.5);
      }
    }
    network->eval();
    TorchEvaluator reference(network, shape, torch::kCPU);
    auto native = make_native_evaluator(p, shape, actions);
    native->load(decode_parameters(encode_parameters(to_parameters(*network))));
    EXPECT_EQ(native->backend(), "native");
    const torch::Tensor observations = torch::randn({batch * shape.size()});
    const std::vector<float> obs(observations.data_ptr<float>(),
                                 observations.data_ptr<float>() + observations.numel());
    SCOPED_TRACE("residual seed " + std::to_string(seed) + ", " + std::to_string(p.channels) +
                 " channels");
    // 40 channels sum 360 products a convolution, twice a block, with weights doubled: float
    // rounding alone then moves a decoded value by up to 1.6e-5 between two summation orders
    // (LibTorch's oneDNN on an AMD EPYC against the native tiles, 2026-12-07), so that case
    // gets 3e-5.
    expect_same_outputs(*native, reference, obs, batch, actions, seed,
                        p.channels > 32 ? 3e-5f : 1e-5f);
  }
}

TEST(NativeEvaluator, RefusesWhatDoesNotFit) {
  const ObservationShape shape{1, 1, 4};
  auto native = make_native_evaluator(fully_connected("one_hot"), shape, 2);
  InferenceOutputs out;
  native->reserve_states(2);
  const std::vector<float> obs(4, 0.5f);
  const std::vector<int> slot{0};
  EXPECT_THROW(native->initial_inference(obs, slot, out), std::logic_error) << "before a load";
  auto network = make_network(fully_connected("one_hot"), shape, 2);
  native->load(to_parameters(*network));
  NetworkParams wider = fully_connected("one_hot");
  wider.encoding_size = 9;
  EXPECT_THROW(native->load(to_parameters(*make_network(wider, shape, 2))), ParametersError);
  native->initial_inference(obs, slot, out);  // still the first parameters
  const std::vector<int> outside{2};
  EXPECT_THROW(native->initial_inference(obs, outside, out), std::out_of_range);
  const std::vector<Action> bad_action{2};
  EXPECT_THROW(native->recurrent_inference(slot, bad_action, slot, out), std::out_of_range);
  const std::vector<float> short_obs(3, 0.5f);
  EXPECT_THROW(native->initial_inference(short_obs, slot, out), std::invalid_argument);
  NetworkParams unknown = residual();
  unknown.type = "transformer";
  EXPECT_THROW(make_native_evaluator(unknown, {2, 3, 4}, 5), std::invalid_argument);
  // The residual network runs natively when asked, and by auto up to 32 channels; wider ones
  // search faster with LibTorch (docs/design.md, "Native inference").
  EXPECT_EQ(make_native_evaluator(residual(), {2, 3, 4}, 5)->backend(), "native");
  NetworkParams narrow = residual(), wide = residual();
  narrow.channels = 32;
  wide.channels = 33;
  EXPECT_EQ(resolve_inference("auto", narrow, torch::kCPU), "native");
  EXPECT_EQ(resolve_inference("auto", wide, torch::kCPU), "torch");
  EXPECT_EQ(resolve_inference("native", wide, torch::kCPU), "native");
  EXPECT_EQ(resolve_inference("auto", fully_connected("conv"), torch::kCPU), "native");
  EXPECT_EQ(resolve_inference("torch", fully_connected("conv"), torch::kCPU), "torch");
}

// Positions of real games (random legal moves from the start), as the search meets them.
std::vector<float> game_positions(const std::string& game_name, int count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<float> observations;
  auto game = make_game(game_name);
  game->reset(seed);
  for (int i = 0; i < count; ++i) {
    if (game->is_terminal()) game->reset(rng());
    const std::vector<float> obs = game->observation();
    observations.insert(observations.end(), obs.begin(), obs.end());
    const auto legal = game->legal_actions();
    game->step(legal[rng() % legal.size()]);
  }
  return observations;
}

TEST(NativeEvaluator, AgreesWithLibTorchOnEveryShippedCheckpoint) {
  for (const std::string name : {"cartpole", "tictactoe", "connect4"}) {
    SCOPED_TRACE(name);
    Agent agent = load_agent(std::string(MUZERO_SOURCE_DIR) + "/models/pretrained/" + name + ".pt");
    auto native = make_agent_evaluator(agent, "native");
    auto reference = make_agent_evaluator(agent, "torch");
    EXPECT_EQ(native->backend(), "native");
    EXPECT_EQ(reference->backend(), "torch");
    const int batch = 16;
    expect_same_outputs(*native, *reference, game_positions(agent.config.game_name, batch, 7),
                        batch, agent.game->action_space_size(), 7);
  }
}

}  // namespace
}  // namespace muzero
