// Can a network variant learn Connect4's rules, with the RL noise taken away? Trains only the
// representation, dynamics and reward head, supervised, on two-move unrolls from positions of
// expert-or-random games (the connect4_probe's positions), with the true rewards as targets,
// and reports on held-out positions how often the model's rewards find the winning move one
// move deep and tell which of our moves let the opponent win two moves deep. Compare variants
// by their --set overrides; if they learn the rules here but not in training, the training
// signal, not the network, is what limits them. The second form trains small MLPs on the
// first move only, to isolate how the action enters (docs/learning.md, "Connect4 tactics"):
//   per_column: one "this column wins" output per column, the action picks one;
//   one_hot: the action, one-hot, joins a 64-wide hidden state (MuZero's dynamics input);
//   per_action: the hidden state sits in the action's block of a 7 x 64 input;
//   with _scaled, that hidden state is min-max scaled first, as MuZero's are.
//   build/research/connect4/connect4_rules CONFIG STEPS [--set key=value ...]
//   build/research/connect4/connect4_rules --mlp per_column|one_hot[_scaled]|per_action[_scaled] STEPS
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "research/connect4/connect4_positions.h"
#include "games/connect4.h"
#include "games/registry.h"
#include "models/math_threads.h"
#include "models/network.h"
#include "muzero/config.h"

namespace muzero {
namespace {

constexpr int kColumns = Connect4::kColumns;

// `count` unfinished positions of expert-or-random games.
std::vector<Connect4> sample_positions(int count, std::mt19937_64& rng) {
  std::vector<Connect4> out;
  visit_mixed_game_positions(rng, [&](const Connect4& game) {
    out.push_back(game);
    return static_cast<int>(out.size()) < count;
  });
  return out;
}

// A winning move half the time when there is one (as often as self-play finds them), else any.
Action training_move(const Connect4& game, std::mt19937_64& rng) {
  const std::vector<Action> legal = game.legal_actions();
  std::vector<Action> winning;
  for (Action a : legal) {
    if (wins_now(game, a)) winning.push_back(a);
  }
  const std::vector<Action>& from =
      !winning.empty() && std::bernoulli_distribution(0.5)(rng) ? winning : legal;
  return random_move(from, rng);
}

torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& target) {
  return (-target * torch::log_softmax(logits, -1)).sum(-1);
}

struct Score {
  int win_positions = 0, win_found = 0;       // reward argmax is a winning move
  int pairs = 0, pairs_right = 0;             // (position, our move): opponent can win or not
  int danger_positions = 0, danger_safe = 0;  // the move with the least threat is safe
};

// Held-out positions: one move deep for those with a win, two moves deep for the others.
// `threat_planes`: the network reads connect4_threats' observation.
Score evaluate(MuZeroNetwork& network, const std::vector<Connect4>& positions, bool threat_planes) {
  torch::NoGradGuard no_grad;
  network.eval();
  Score score;
  for (const Connect4& game : positions) {
    const std::vector<Action> legal = game.legal_actions();
    const std::vector<float> o = game.observation(threat_planes);
    const torch::Tensor hidden = network.represent(torch::tensor(o).unsqueeze(0));
    const auto n = static_cast<int64_t>(legal.size());
    const torch::Tensor moves = torch::tensor(std::vector<int64_t>(legal.begin(), legal.end()));
    const NetworkOutput first = network.recurrent_inference(hidden.repeat_interleave(n, 0), moves);
    const torch::Tensor rewards = network.to_scalar(first.reward_logits);
    bool any_win = false;
    for (Action a : legal) any_win = any_win || wins_now(game, a);
    if (any_win) {
      ++score.win_positions;
      score.win_found += wins_now(game, legal[rewards.argmax().item<int64_t>()]) ? 1 : 0;
      continue;
    }
    // Every reply to every move: the opponent's best predicted reward against the truth.
    const torch::Tensor replies = torch::arange(kColumns).repeat({n});
    const NetworkOutput second =
        network.recurrent_inference(first.hidden_state.repeat_interleave(kColumns, 0), replies);
    const torch::Tensor threat = network.to_scalar(second.reward_logits).view({n, kColumns});
    std::vector<bool> unsafe(legal.size());
    std::vector<float> best(legal.size());
    int unsafe_count = 0;
    for (int64_t i = 0; i < n; ++i) {
      Connect4 after = game;
      after.step(legal[i]);
      float top = -1e9f;
      for (Action b : after.legal_actions()) {
        top = std::max(top, threat[i][b].item<float>());
        unsafe[i] = unsafe[i] || wins_now(after, b);
      }
      best[i] = top;
      unsafe_count += unsafe[i] ? 1 : 0;
      ++score.pairs;
      score.pairs_right += (top > 0.5f) == unsafe[i] ? 1 : 0;
    }
    if (unsafe_count > 0 && unsafe_count < n) {
      ++score.danger_positions;
      const auto pick = std::min_element(best.begin(), best.end()) - best.begin();
      score.danger_safe += unsafe[pick] ? 0 : 1;
    }
  }
  network.train();
  return score;
}

int run_mlp(const std::string& variant, int steps) {
  use_single_math_thread();
  const bool scaled = variant.ends_with("_scaled");
  const std::string input = scaled ? variant.substr(0, variant.size() - 7) : variant;
  if (input != "per_column" && input != "one_hot" && input != "per_action") {
    std::fprintf(stderr, "connect4_rules: unknown --mlp variant %s\n", variant.c_str());
    return 2;
  }
  constexpr int kObservation = 3 * Connect4::kRows * kColumns;
  constexpr int kHidden = 64;
  torch::nn::Sequential per_column(torch::nn::Linear(kObservation, 256), torch::nn::ELU(),
                                   torch::nn::Linear(256, 128), torch::nn::ELU(),
                                   torch::nn::Linear(128, kColumns));
  torch::nn::Sequential represent(torch::nn::Linear(kObservation, 256), torch::nn::ELU(),
                                  torch::nn::Linear(256, kHidden));
  torch::nn::Sequential dynamics(
      torch::nn::Linear(input == "per_action" ? kHidden * kColumns : kHidden + kColumns, 256),
      torch::nn::ELU(), torch::nn::Linear(256, 1));
  std::vector<torch::Tensor> parameters = per_column->parameters();
  if (input != "per_column") {
    parameters = represent->parameters();
    for (const torch::Tensor& t : dynamics->parameters()) parameters.push_back(t);
  }
  // B observations, B actions -> B "this move wins" logits.
  auto predict = [&](const torch::Tensor& observations, const torch::Tensor& moves) {
    if (input == "per_column") {
      return per_column->forward(observations).gather(1, moves.unsqueeze(1)).squeeze(1);
    }
    torch::Tensor hidden = represent->forward(observations);
    if (scaled) {
      const torch::Tensor low = std::get<0>(hidden.min(1, true));
      const torch::Tensor high = std::get<0>(hidden.max(1, true));
      hidden = (hidden - low) / (high - low + 1e-5);
    }
    const torch::Tensor one_hot = torch::one_hot(moves, kColumns).to(torch::kFloat);
    const torch::Tensor x = input == "per_action"
                                ? (one_hot.unsqueeze(2) * hidden.unsqueeze(1)).flatten(1)
                                : torch::cat({hidden, one_hot}, 1);
    return dynamics->forward(x).squeeze(1);
  };
  torch::optim::Adam optimizer(parameters, torch::optim::AdamOptions(0.001));
  std::mt19937_64 rng(11);
  const std::vector<Connect4> pool = sample_positions(200000, rng);
  std::mt19937_64 held_out_rng(12);
  const std::vector<Connect4> held_out = sample_positions(3000, held_out_rng);
  std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1);
  for (int step = 1; step <= steps; ++step) {
    std::vector<float> observations;
    std::vector<int64_t> moves;
    std::vector<float> rewards;
    for (int b = 0; b < 64; ++b) {
      Connect4 game = pool[pick(rng)];
      const std::vector<float> o = game.observation();
      observations.insert(observations.end(), o.begin(), o.end());
      const Action a = training_move(game, rng);
      moves.push_back(a);
      rewards.push_back(game.step(a).reward);
    }
    const torch::Tensor logits =
        predict(torch::from_blob(observations.data(), {64, kObservation}), torch::tensor(moves));
    const torch::Tensor loss =
        torch::binary_cross_entropy_with_logits(logits, torch::tensor(rewards));
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    if (step % std::max(1, steps / 10) == 0) {
      torch::NoGradGuard no_grad;
      int positions = 0, found = 0;
      for (const Connect4& game : held_out) {
        const std::vector<Action> legal = game.legal_actions();
        bool any = false;
        for (Action a : legal) any = any || wins_now(game, a);
        if (!any) continue;
        const torch::Tensor inputs =
            torch::tensor(game.observation()).unsqueeze(0).repeat({kColumns, 1});
        const torch::Tensor out = predict(inputs, torch::arange(kColumns));
        Action best = legal[0];
        for (Action a : legal) {
          if (out[a].item<float>() > out[best].item<float>()) best = a;
        }
        ++positions;
        found += wins_now(game, best) ? 1 : 0;
      }
      std::printf("%s step %6d  loss %.3f  win found %5.1f%% (%d)\n", variant.c_str(), step,
                  loss.item<double>(), 100.0 * found / positions, positions);
      std::fflush(stdout);
    }
  }
  return 0;
}

int run(const std::string& config_path, int steps, const std::vector<std::string>& overrides) {
  use_single_math_thread();
  const Config config = load_config(config_path, overrides);
  const std::unique_ptr<Game> made = make_game(config.game_name);
  const auto* shape_source = dynamic_cast<const Connect4*>(made.get());
  if (shape_source == nullptr) {
    std::fprintf(stderr, "connect4_rules: %s plays %s, not Connect4\n", config_path.c_str(),
                 config.game_name.c_str());
    return 2;
  }
  const bool threat_planes = shape_source->threat_planes();
  auto network = make_network(config.network, shape_source->observation_shape(), kColumns);
  network->train();
  torch::optim::Adam optimizer(
      network->parameters(),
      torch::optim::AdamOptions(config.train.lr_init).weight_decay(config.train.weight_decay));
  std::mt19937_64 rng(11);
  const std::vector<Connect4> pool = sample_positions(200000, rng);
  std::mt19937_64 held_out_rng(12);
  const std::vector<Connect4> held_out = sample_positions(3000, held_out_rng);
  const int kBatch = config.batch_size;
  const int observation_size = static_cast<int>(shape_source->observation().size());
  std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1);
  const auto start = std::chrono::steady_clock::now();
  for (int step = 1; step <= steps; ++step) {
    std::vector<float> observations;
    observations.reserve(kBatch * observation_size);
    std::vector<int64_t> first_moves, second_moves;
    std::vector<float> first_rewards, second_rewards;
    for (int b = 0; b < kBatch; ++b) {
      Connect4 game = pool[pick(rng)];
      const std::vector<float> o = game.observation(threat_planes);
      observations.insert(observations.end(), o.begin(), o.end());
      const Action a = training_move(game, rng);
      const StepResult r = game.step(a);
      first_moves.push_back(a);
      first_rewards.push_back(r.reward);
      if (r.done) {  // past the end: any action, reward 0
        second_moves.push_back(std::uniform_int_distribution<int>(0, kColumns - 1)(rng));
        second_rewards.push_back(0.0f);
      } else {
        const Action reply = training_move(game, rng);
        second_moves.push_back(reply);
        second_rewards.push_back(game.step(reply).reward);
      }
    }
    const torch::Tensor obs = torch::from_blob(observations.data(), {kBatch, observation_size});
    const torch::Tensor hidden = network->represent(obs);
    const NetworkOutput one = network->recurrent_inference(hidden, torch::tensor(first_moves));
    const torch::Tensor next = one.hidden_state * 0.5 + one.hidden_state.detach() * 0.5;
    const NetworkOutput two = network->recurrent_inference(next, torch::tensor(second_moves));
    const torch::Tensor loss =
        (cross_entropy(one.reward_logits, network->to_support(torch::tensor(first_rewards))) +
         cross_entropy(two.reward_logits, network->to_support(torch::tensor(second_rewards))))
            .mean();
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    if (step % std::max(1, steps / 10) == 0 || step == steps) {
      const Score s = evaluate(*network, held_out, threat_planes);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf(
          "step %6d  %5.0f s  loss %.3f  win found %5.1f%% (%d)  threat right %5.1f%%  safe "
          "pick %5.1f%% (%d)\n",
          step, seconds, loss.item<double>(), 100.0 * s.win_found / std::max(1, s.win_positions),
          s.win_positions, 100.0 * s.pairs_right / std::max(1, s.pairs),
          100.0 * s.danger_safe / std::max(1, s.danger_positions), s.danger_positions);
      std::fflush(stdout);
    }
  }
  return 0;
}

}  // namespace
}  // namespace muzero

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: connect4_rules CONFIG STEPS [--set key=value ...]\n"
                 "       connect4_rules --mlp VARIANT STEPS\n");
    return 2;
  }
  if (std::string(argv[1]) == "--mlp") {
    if (argc != 4) {
      std::fprintf(stderr, "usage: connect4_rules --mlp VARIANT STEPS\n");
      return 2;
    }
    return muzero::run_mlp(argv[2], std::stoi(argv[3]));
  }
  std::vector<std::string> overrides;
  for (int i = 3; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) != "--set") {
      std::fprintf(stderr, "connect4_rules: expected --set, got %s\n", argv[i]);
      return 2;
    }
    overrides.emplace_back(argv[i + 1]);
  }
  return muzero::run(argv[1], std::stoi(argv[2]), overrides);
}
