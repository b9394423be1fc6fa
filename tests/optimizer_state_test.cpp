// The optimizer state in the project's own encoding, and LibTorch's archives read by position
// (trainer/optimizer_state.h).
#include "trainer/optimizer_state.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

#include "models/parameters.h"

namespace muzero {
namespace {

torch::nn::Linear make_linear(int in, int out) {
  torch::manual_seed(11);
  return torch::nn::Linear(in, out);
}

void train_steps(torch::nn::Linear& net, torch::optim::Optimizer& optimizer, int steps) {
  for (int i = 0; i < steps; ++i) {
    optimizer.zero_grad();
    net->forward(torch::arange(8, torch::kFloat).reshape({2, 4}) / 8).pow(2).sum().backward();
    optimizer.step();
  }
}

// Two optimizers whose states agree take the same next step: train one, move its state to a
// fresh copy, take one more step on each, compare the weights bit for bit.
template <typename Optimizer, typename Options>
void expect_same_next_step(
    const Options& options,
    const std::function<void(torch::optim::Optimizer&, torch::optim::Optimizer&)>& move_state) {
  torch::nn::Linear original = make_linear(4, 3);
  Optimizer original_optimizer(original->parameters(), options);
  train_steps(original, original_optimizer, 3);
  torch::nn::Linear copy = make_linear(4, 3);
  {
    torch::NoGradGuard no_grad;
    copy->weight.copy_(original->weight);
    copy->bias.copy_(original->bias);
  }
  Optimizer copy_optimizer(copy->parameters(), options);
  move_state(original_optimizer, copy_optimizer);
  train_steps(original, original_optimizer, 1);
  train_steps(copy, copy_optimizer, 1);
  EXPECT_TRUE(torch::equal(original->weight, copy->weight));
  EXPECT_TRUE(torch::equal(original->bias, copy->bias));
  // Without the state the next step differs: the comparison above can see a lost state.
  torch::nn::Linear fresh = make_linear(4, 3);
  Optimizer fresh_optimizer(fresh->parameters(), options);
  train_steps(fresh, fresh_optimizer, 3);
  Optimizer restarted(fresh->parameters(), options);
  train_steps(fresh, restarted, 1);
  EXPECT_FALSE(torch::equal(original->weight, fresh->weight));
}

void through_own_encoding(torch::optim::Optimizer& from, torch::optim::Optimizer& to) {
  decode_optimizer_state(encode_optimizer_state(from), to);
}

void through_libtorch_archive(torch::optim::Optimizer& from, torch::optim::Optimizer& to) {
  torch::serialize::OutputArchive written;
  from.save(written);
  std::ostringstream bytes;
  written.save_to(bytes);
  std::istringstream input(bytes.str());
  torch::serialize::InputArchive read;
  read.load_from(input);
  load_libtorch_optimizer_archive(read, to);
}

TEST(OptimizerState, AdamResumesExactlyFromItsEncoding) {
  expect_same_next_step<torch::optim::Adam>(torch::optim::AdamOptions(0.01).weight_decay(1e-4),
                                            through_own_encoding);
  expect_same_next_step<torch::optim::Adam>(torch::optim::AdamOptions(0.01).amsgrad(true),
                                            through_own_encoding);
}

TEST(OptimizerState, SgdResumesExactlyFromItsEncoding) {
  expect_same_next_step<torch::optim::SGD>(torch::optim::SGDOptions(0.05).momentum(0.9),
                                           through_own_encoding);
}

TEST(OptimizerState, ThisLibTorchsOwnArchiveIsReadByPosition) {
  expect_same_next_step<torch::optim::Adam>(torch::optim::AdamOptions(0.01),
                                            through_libtorch_archive);
  expect_same_next_step<torch::optim::SGD>(torch::optim::SGDOptions(0.05).momentum(0.9),
                                           through_libtorch_archive);
}

// An archive written by LibTorch 1.13's Adam::save, whose keys are hexadecimal addresses that
// LibTorch 2.x's own loader misreads. Made by a Linear(4, 3) with weights 0.1 and biases 0,
// one step on the loss sum((W x + b)^2) over two inputs of ones: every output is 0.4, so every
// gradient is 2 x 2 x 0.4 = 1.6, exp_avg = (1 - 0.9) x 1.6 = 0.16 and exp_avg_sq = (1 -
// 0.999) x 1.6^2 = 0.00256.
TEST(OptimizerState, ALibTorch113ArchiveLoadsOntoTheRightParameters) {
  torch::serialize::InputArchive archive;
  archive.load_from(std::string(MUZERO_SOURCE_DIR) + "/tests/data/adam_state_libtorch_1_13.pt");
  torch::nn::Linear net = make_linear(4, 3);
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(0.01));
  load_libtorch_optimizer_archive(archive, adam);
  ASSERT_EQ(adam.state().size(), 2u);
  for (const torch::Tensor& parameter : net->parameters()) {
    bool found = false;
    for (const auto& [key, state] : adam.state()) {
      const auto& adam_state = static_cast<const torch::optim::AdamParamState&>(*state);
      if (adam_state.exp_avg().sizes() != parameter.sizes()) continue;
      found = true;
      EXPECT_EQ(adam_state.step(), 1);
      EXPECT_TRUE(torch::allclose(adam_state.exp_avg(), torch::full_like(parameter, 0.16f)));
      EXPECT_TRUE(torch::allclose(adam_state.exp_avg_sq(), torch::full_like(parameter, 0.00256f)));
      EXPECT_FALSE(adam_state.max_exp_avg_sq().defined());
    }
    EXPECT_TRUE(found) << parameter.sizes();
  }
  train_steps(net, adam, 1);  // and the state is usable
  EXPECT_TRUE(torch::isfinite(net->weight).all().item<bool>());
}

TEST(OptimizerState, AStateThatDoesNotFitIsRefusedAndChangesNothing) {
  torch::nn::Linear net = make_linear(4, 3);
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(0.01));
  train_steps(net, adam, 2);
  const std::string adam_state = encode_optimizer_state(adam);
  const auto expect_refused = [](const std::string& bytes, torch::optim::Optimizer& optimizer,
                                 const std::string& reason) {
    const std::size_t states_before = optimizer.state().size();
    try {
      decode_optimizer_state(bytes, optimizer);
      ADD_FAILURE() << "accepted; expected: " << reason;
    } catch (const OptimizerStateError& error) {
      EXPECT_NE(std::string(error.what()).find(reason), std::string::npos) << error.what();
    }
    EXPECT_EQ(optimizer.state().size(), states_before);
  };
  // Another optimizer's state.
  torch::nn::Linear other = make_linear(4, 3);
  torch::optim::SGD sgd(other->parameters(), torch::optim::SGDOptions(0.05).momentum(0.9));
  train_steps(other, sgd, 1);
  expect_refused(adam_state, sgd, "not SGD's state");
  expect_refused(encode_optimizer_state(sgd), adam, "no Adam step count");
  // Another architecture: shapes, or parameters it does not have.
  torch::nn::Linear transposed = make_linear(3, 4);
  torch::optim::Adam transposed_adam(transposed->parameters(), torch::optim::AdamOptions(0.01));
  expect_refused(adam_state, transposed_adam, "has shape");
  Parameters extra = decode_parameters(adam_state);
  extra.tensors.push_back({"0.7/exp_avg", {3}, {0, 0, 0}});
  expect_refused(encode_parameters(extra), adam, "does not have");
  // Names, fields and damage.
  Parameters renamed = decode_parameters(adam_state);
  renamed.tensors[1].name = "weights/exp_avg";
  expect_refused(encode_parameters(renamed), adam, "GROUP.INDEX/FIELD");
  Parameters unknown_field = decode_parameters(adam_state);
  unknown_field.tensors[1].name = "0.0/velocity";
  expect_refused(encode_parameters(unknown_field), adam, "has no exp_avg");
  Parameters half_step = decode_parameters(adam_state);
  half_step.tensors[0].values[0] = 1.5f;
  expect_refused(encode_parameters(half_step), adam, "whole number");
  expect_refused(adam_state.substr(0, adam_state.size() - 3), adam, "damaged optimizer state");
}

}  // namespace
}  // namespace muzero
