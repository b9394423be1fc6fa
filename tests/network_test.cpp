#include "models/network.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "models/layers.h"
#include "models/math_threads.h"
#include "models/support.h"
#include "models/torch_evaluator.h"
#include "trainer/trainer.h"

namespace muzero {
namespace {

NetworkParams residual_params() {
  NetworkParams p;
  p.type = "residual";
  p.channels = 4;
  p.reduced_channels_reward = 2;
  p.reduced_channels_value = 2;
  p.reduced_channels_policy = 2;
  p.support_size = 5;
  return p;
}

NetworkParams convolutional_params() {
  NetworkParams p;
  p.fc_conv_channels = 5;
  p.fc_conv_kernel = 2;
  return p;
}

NetworkParams per_action_params() {
  NetworkParams p;
  p.fc_action_input = "per_action";
  return p;
}

TEST(Network, ShapesAndScaledHiddenStatesForEveryVariant) {
  torch::manual_seed(0);
  const ObservationShape shape{3, 3, 3};
  for (const NetworkParams& params :
       {NetworkParams{}, residual_params(), convolutional_params(), per_action_params()}) {
    auto net = make_network(params, shape, 9);
    const int support = 2 * params.support_size + 1;
    const torch::Tensor observations = torch::randn({5, 3, 3, 3});
    const NetworkOutput initial = net->initial_inference(observations);
    EXPECT_TRUE(torch::equal(net->represent(observations),
                             net->initial_inference(observations).hidden_state))
        << params.type;
    EXPECT_EQ(initial.value_logits.sizes(), (std::vector<int64_t>{5, support}));
    EXPECT_EQ(initial.policy_logits.sizes(), (std::vector<int64_t>{5, 9}));
    EXPECT_FALSE(initial.reward_logits.defined());
    const NetworkOutput next =
        net->recurrent_inference(initial.hidden_state, torch::tensor({0, 1, 2, 3, 8}));
    EXPECT_EQ(next.reward_logits.sizes(), (std::vector<int64_t>{5, support}));
    EXPECT_EQ(next.hidden_state.sizes(), initial.hidden_state.sizes());
    for (const torch::Tensor& h : {initial.hidden_state, next.hidden_state}) {
      // Min-max scaled per sample (per channel for the residual network): exactly [0, 1].
      const torch::Tensor flat = h.dim() == 2 ? h.unsqueeze(1) : h.flatten(2);
      EXPECT_NEAR(std::get<0>(flat.min(2)).abs().max().item<float>(), 0.0f, 1e-6) << params.type;
      EXPECT_NEAR(std::get<0>(flat.max(2)).min().item<float>(), 1.0f, 1e-4) << params.type;
    }
  }
}

// The optional convolution sees the observation as C x H x W (here not square, so a swapped
// layout would show) and its ELU outputs follow the flattened observation into the MLP.
TEST(Network, ConvolutionFeedsTheRepresentationWithTheObservation) {
  torch::manual_seed(3);
  const ObservationShape shape{2, 3, 4};
  auto net = make_network(convolutional_params(), shape, 3);
  const auto params = net->named_parameters(true);
  const torch::Tensor weight = params["representation_conv.weight"];
  const torch::Tensor bias = params["representation_conv.bias"];
  EXPECT_EQ(weight.sizes(), (std::vector<int64_t>{5, 2, 2, 2}));
  // 24 observation values, then 5 channels on a 2 x 3 grid of windows.
  EXPECT_EQ(params["representation.0.weight"].size(1), 24 + 5 * 2 * 3);

  const torch::Tensor observations = torch::randn({4, 2, 3, 4});
  const torch::Tensor features = torch::cat(
      {observations.flatten(1), torch::elu(torch::conv2d(observations, weight, bias)).flatten(1)},
      1);
  // The default fc_representation_layers is empty: the MLP is the one linear layer.
  const torch::Tensor x =
      torch::linear(features, params["representation.0.weight"], params["representation.0.bias"]);
  const torch::Tensor min = std::get<0>(x.min(1, true));
  const torch::Tensor max = std::get<0>(x.max(1, true));
  const torch::Tensor expected = (x - min) / (max - min);
  EXPECT_TRUE(torch::allclose(net->represent(observations), expected, 1e-5, 1e-6));
  // Observations may come flat (B x C*H*W), as from the replay buffer.
  EXPECT_TRUE(torch::equal(net->represent(observations.flatten(1)), net->represent(observations)));

  NetworkParams too_wide = convolutional_params();
  too_wide.fc_conv_kernel = 4;
  try {
    make_network(too_wide, shape, 3);
    ADD_FAILURE() << "a 4 x 4 kernel on a 3 x 4 observation was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("fc_conv_kernel 4 does not fit the 3 x 4"),
              std::string::npos)
        << e.what();
  }
}

// per_action: the dynamics' input is the hidden state in the action's block of an
// encoding x actions vector, then the one-hot action, so each action has its own weights.
TEST(Network, PerActionInputGivesEachActionItsOwnDynamicsWeights) {
  torch::manual_seed(4);
  NetworkParams p = per_action_params();
  p.encoding_size = 3;
  p.fc_dynamics_layers = {};  // one linear layer, so the expected output is easy to write
  auto net = make_network(p, {1, 1, 4}, 2);
  auto params = net->named_parameters(true);
  const torch::Tensor weight = params["dynamics_state.0.weight"];
  const torch::Tensor bias = params["dynamics_state.0.bias"];
  EXPECT_EQ(weight.sizes(), (std::vector<int64_t>{3, 2 * 3 + 2}));

  const torch::Tensor hidden = net->represent(torch::randn({4, 1, 1, 4}));
  const torch::Tensor actions = torch::tensor({0, 1, 1, 0});
  const torch::Tensor first = (actions == 0).unsqueeze(1).to(torch::kFloat);
  const torch::Tensor input =
      torch::cat({hidden * first, hidden * (1 - first), first, 1 - first}, 1);
  const torch::Tensor x = torch::linear(input, weight, bias);
  const torch::Tensor min = std::get<0>(x.min(1, true));
  const torch::Tensor max = std::get<0>(x.max(1, true));
  const torch::Tensor next = net->recurrent_inference(hidden, actions).hidden_state;
  EXPECT_TRUE(torch::allclose(next, (x - min) / (max - min), 1e-5, 1e-6));

  // Changing action 1's block of weights (for one output: a shift of all would be scaled
  // away) leaves action 0's next states as they were.
  {
    torch::NoGradGuard no_grad;
    weight[0].narrow(0, 3, 3).add_(1.0);
  }
  const torch::Tensor changed = net->recurrent_inference(hidden, actions).hidden_state;
  for (int64_t i : {0, 3}) EXPECT_TRUE(torch::equal(changed[i], next[i]));
  for (int64_t i : {1, 2}) EXPECT_FALSE(torch::allclose(changed[i], next[i]));

  p.fc_action_input = "two_hot";
  EXPECT_THROW(make_network(p, {1, 1, 4}, 2), std::invalid_argument);
}

// scale_rows (one node, backward by hand) against scale_hidden_state (ATen operations):
// values and gradients, on random rows, a row with ties at both ends, a row whose range is
// under 1e-5 and a constant row.
TEST(Network, ScaleRowsEqualsScaleHiddenStateWithGradients) {
  torch::manual_seed(11);
  torch::Tensor rows = torch::randn({7, 8});
  rows[4] = torch::tensor({1.0f, -2.0f, 3.0f, -2.0f, 3.0f, 0.5f, 0.0f, 1.0f});
  rows[5] = torch::rand({8}) * 1e-6f;
  rows[6] = torch::full({8}, 0.25f);
  const torch::Tensor readout = torch::randn({7, 8});
  const torch::Tensor a = rows.clone().requires_grad_(true);
  const torch::Tensor b = rows.clone().requires_grad_(true);
  const torch::Tensor fast = scale_rows(a);
  const torch::Tensor reference = scale_hidden_state(b.unsqueeze(1)).squeeze(1);
  EXPECT_TRUE(torch::equal(fast, reference));
  (fast * readout).sum().backward();
  (reference * readout).sum().backward();
  EXPECT_TRUE(torch::allclose(a.grad(), b.grad(), 1e-5, 1e-5))
      << (a.grad() - b.grad()).abs().max().item<float>();
  // Without gradient, and on another layout (a transposed view), the values are the same.
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::equal(scale_rows(rows.t().contiguous().t()), reference.detach()));
}

// The training unroll of a network that overrides it (heads once on all states, action
// columns looked up) gives the outputs and the parameter gradients of the plain one: one
// initial and K recurrent inferences with the states' gradient halved between steps.
TEST(Network, UnrollEqualsInferenceStepByStepWithGradients) {
  const ObservationShape shape{3, 3, 3};
  const int B = 6, K = 4, A = 9;
  for (const NetworkParams& params :
       {NetworkParams{}, residual_params(), convolutional_params(), per_action_params()}) {
    torch::manual_seed(3);
    auto net = make_network(params, shape, A);
    const torch::Tensor observations = torch::randn({B, 3, 3, 3});
    const torch::Tensor actions = torch::randint(A, {B, K}, torch::kLong);
    const auto run = [&](bool step_by_step) {
      torch::manual_seed(7);  // the same random readout of every output
      const UnrollOutput out = step_by_step ? net->unroll_step_by_step(observations, actions, 0.5)
                                            : net->unroll(observations, actions, 0.5);
      torch::Tensor readout = torch::zeros({});
      for (const torch::Tensor& t :
           {out.value_logits, out.reward_logits, out.policy_logits, out.hidden_states}) {
        readout = readout + (t * torch::randn(t.sizes())).sum();
      }
      net->zero_grad();
      readout.backward();
      std::vector<torch::Tensor> gradients;
      for (const auto& p : net->parameters()) gradients.push_back(p.grad().clone());
      return std::make_pair(out, gradients);
    };
    const auto [fused, fused_gradients] = run(false);
    const auto [plain, plain_gradients] = run(true);
    const int support = 2 * params.support_size + 1;
    EXPECT_EQ(fused.value_logits.sizes(), (std::vector<int64_t>{B, K + 1, support}));
    EXPECT_EQ(fused.reward_logits.sizes(), (std::vector<int64_t>{B, K, support}));
    EXPECT_EQ(fused.policy_logits.sizes(), (std::vector<int64_t>{B, K + 1, A}));
    EXPECT_EQ(fused.hidden_states.size(1), K + 1);
    EXPECT_TRUE(torch::allclose(fused.value_logits, plain.value_logits, 1e-5, 1e-6));
    EXPECT_TRUE(torch::allclose(fused.reward_logits, plain.reward_logits, 1e-5, 1e-6));
    EXPECT_TRUE(torch::allclose(fused.policy_logits, plain.policy_logits, 1e-5, 1e-6));
    EXPECT_TRUE(torch::allclose(fused.hidden_states, plain.hidden_states, 1e-5, 1e-6));
    ASSERT_EQ(fused_gradients.size(), plain_gradients.size());
    for (std::size_t i = 0; i < fused_gradients.size(); ++i) {
      EXPECT_TRUE(torch::allclose(fused_gradients[i], plain_gradients[i], 1e-4, 1e-5))
          << params.type << " " << params.fc_action_input << " parameter " << i << ": "
          << (fused_gradients[i] - plain_gradients[i]).abs().max().item<float>();
    }
    // The states' gradient is halved between steps: without it the outputs are the same and
    // the dynamics' gradients are not.
    net->zero_grad();
    const UnrollOutput unscaled = net->unroll(observations, actions, 1.0);
    EXPECT_TRUE(torch::allclose(unscaled.value_logits, plain.value_logits, 1e-5, 1e-6))
        << params.type << " " << params.fc_action_input << " "
        << (unscaled.value_logits - plain.value_logits).abs().max().item<float>();
    unscaled.value_logits.select(1, K).sum().backward();
    const torch::Tensor first_gradient = net->parameters()[0].grad().clone();
    net->zero_grad();
    net->unroll(observations, actions, 0.5).value_logits.select(1, K).sum().backward();
    EXPECT_FALSE(torch::allclose(first_gradient, net->parameters()[0].grad()));
  }
}

TEST(Network, WeightsRoundTripAndRefuseAnotherArchitecture) {
  torch::manual_seed(1);
  NetworkParams params;
  auto a = make_network(params, {1, 1, 4}, 2);
  auto b = make_network(params, {1, 1, 4}, 2);
  const torch::Tensor obs = torch::randn({3, 1, 1, 4});
  EXPECT_FALSE(torch::allclose(a->initial_inference(obs).value_logits,
                               b->initial_inference(obs).value_logits));
  deserialize_weights(*b, serialize_weights(*a));
  EXPECT_TRUE(
      torch::equal(a->initial_inference(obs).value_logits, b->initial_inference(obs).value_logits));

  NetworkParams wider = params;
  wider.encoding_size = 12;
  auto other = make_network(wider, {1, 1, 4}, 2);
  EXPECT_THROW(deserialize_weights(*other, serialize_weights(*a)), std::runtime_error);
  EXPECT_THROW(deserialize_weights(*other, "not a checkpoint"), std::runtime_error);
}

// The evaluator gives the search the network's own numbers, and recurrent inference from a pooled
// slot equals running the dynamics on the hidden state directly.
TEST(TorchEvaluator, MatchesDirectNetworkCalls) {
  torch::manual_seed(2);
  auto net = make_network(NetworkParams{}, {1, 1, 4}, 2);
  TorchEvaluator evaluator(net, {1, 1, 4}, torch::kCPU);
  evaluator.reserve_states(8);
  const std::vector<float> observations{0.1f, 0.2f, 0.3f, 0.4f, -0.1f, 0.0f, 0.5f, 1.0f};
  InferenceOutputs initial, recurrent;
  const std::vector<int> root_slots{3, 6};
  evaluator.initial_inference(observations, root_slots, initial);
  const std::vector<int> parents{6, 3}, children{0, 1};
  const std::vector<Action> actions{1, 0};
  evaluator.recurrent_inference(parents, actions, children, recurrent);

  torch::NoGradGuard no_grad;
  // The evaluator decodes values in double precision: h^-1 in float32 loses about 5e-5 to the
  // cancellation in sqrt(1 + 4 eps (|y| + 1 + eps)) - 1, so the reference is decoded in double.
  const auto to_scalar = [](const torch::Tensor& logits) {
    return support_to_scalar(logits.to(torch::kDouble), 10);
  };
  const torch::Tensor obs = torch::tensor(observations).view({2, 1, 1, 4});
  const NetworkOutput direct = net->initial_inference(obs);
  const torch::Tensor values = to_scalar(direct.value_logits);
  EXPECT_NEAR(initial.values[1], values[1].item<double>(), 1e-6);
  EXPECT_NEAR(initial.policy_logits[3], direct.policy_logits[1][1].item<float>(), 1e-6);
  const NetworkOutput step =
      net->recurrent_inference(direct.hidden_state.flip(0), torch::tensor({1, 0}));
  const torch::Tensor rewards = to_scalar(step.reward_logits);
  EXPECT_NEAR(recurrent.rewards[0], rewards[0].item<double>(), 1e-6);
  EXPECT_NEAR(recurrent.rewards[1], rewards[1].item<double>(), 1e-6);
  EXPECT_NEAR(recurrent.values[0], to_scalar(step.value_logits)[0].item<double>(), 1e-6);
  EXPECT_EQ(evaluator.calls(), 2);
  EXPECT_EQ(evaluator.inferences(), 4);
}

}  // namespace
}  // namespace muzero

namespace muzero {
namespace {

// The set-up installs OpenBLAS; LibTorch must actually be running on it after a matrix product.
TEST(MathLibrary, LibTorchUsesOpenBlas) {
  const torch::Tensor a = torch::randn({64, 64});
  EXPECT_GT(torch::mm(a, a).abs().sum().item<float>(), 0.0f);
  EXPECT_NE(loaded_blas_library().find("openblas"), std::string::npos)
      << "loaded BLAS: '" << loaded_blas_library() << "'";
}

}  // namespace
}  // namespace muzero
