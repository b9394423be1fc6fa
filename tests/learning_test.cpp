// The network can represent and learn exact game values: trained on every reachable non-terminal
// TicTacToe position labelled by the expert's solved value, it predicts all of them exactly
// (rounded to -1, 0 or 1).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdio>
#include <set>

#include "games/tictactoe.h"
#include "models/network.h"
#include "models/support.h"

namespace muzero {
namespace {

void collect(const TicTacToe& game, std::set<TicTacToe::Board>& seen,
             std::vector<float>& observations, std::vector<float>& values) {
  if (game.is_terminal() || !seen.insert(game.board()).second) return;
  const std::vector<float> obs = game.observation();
  observations.insert(observations.end(), obs.begin(), obs.end());
  values.push_back(static_cast<float>(game.solved_value()));
  for (Action a : game.legal_actions()) {
    TicTacToe next = game;
    next.step(a);
    collect(next, seen, observations, values);
  }
}

TEST(Learning, NetworkLearnsExactTicTacToeValuesFromSolvedPositions) {
  TicTacToe start;
  start.reset(0);
  std::set<TicTacToe::Board> seen;
  std::vector<float> observations, values;
  collect(start, seen, observations, values);
  const auto n = static_cast<int64_t>(values.size());
  ASSERT_EQ(n, 4520);  // the known number of reachable non-terminal positions

  torch::manual_seed(0);
  NetworkParams params;
  params.support_size = 1;
  params.encoding_size = 128;
  params.fc_representation_layers = {256, 256};
  params.fc_value_layers = {128};
  auto net = make_network(params, {3, 3, 3}, 9);
  torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(3e-3));
  const torch::Tensor x = torch::from_blob(observations.data(), {n, 27}).clone();
  const torch::Tensor y = torch::from_blob(values.data(), {n}).clone();
  const torch::Tensor target = scalar_to_support(y, 1);

  // Minibatches of 128 in a fixed shuffled order; the whole set is checked after every pass.
  int64_t wrong = n;
  int epochs = 0;
  for (int epoch = 1; epoch <= 300 && wrong > 0; ++epoch) {
    epochs = epoch;
    const torch::Tensor order = torch::randperm(n);
    for (int64_t first = 0; first < n; first += 128) {
      const torch::Tensor index = order.slice(0, first, std::min(first + 128, n));
      const torch::Tensor logits = net->initial_inference(x.index_select(0, index)).value_logits;
      const torch::Tensor loss =
          (-target.index_select(0, index) * torch::log_softmax(logits, 1)).sum(1).mean();
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
    }
    torch::NoGradGuard no_grad;
    const torch::Tensor predicted = support_to_scalar(net->initial_inference(x).value_logits, 1);
    wrong = (predicted.round() != y).sum().item<int64_t>();
  }
  EXPECT_EQ(wrong, 0) << "positions whose solved value the network gets wrong";
  std::printf("learned all %lld values after %d epochs\n", static_cast<long long>(n), epochs);
}

}  // namespace
}  // namespace muzero
