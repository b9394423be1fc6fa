#pragma once
// An Evaluator that knows TicTacToe exactly: its latent states are real game states, its values
// the solved game values, its rewards the real ones (an illegal move inside the tree loses).
// With it, the search should play perfectly: a reference opponent for evaluation tests.
#include <algorithm>
#include <stdexcept>
#include <vector>

#include "games/tictactoe.h"
#include "self_play/evaluator.h"

namespace muzero::testing {

class TicTacToeOracle : public Evaluator {
 public:
  int action_space_size() const override { return 9; }
  void reserve_states(int capacity) override { states_.resize(capacity); }

  void initial_inference(std::span<const float> observations, std::span<const int> slots,
                         InferenceOutputs& out) override {
    clear(out);
    for (std::size_t i = 0; i < slots.size(); ++i) {
      State& state =
          states_.at(slots[i]) = {from_observation(observations.subspan(i * 27, 27)), false};
      emit(state, 0.0f, out);
    }
  }

  void recurrent_inference(std::span<const int> parent_slots, std::span<const Action> actions,
                           std::span<const int> slots, InferenceOutputs& out) override {
    clear(out);
    for (std::size_t i = 0; i < slots.size(); ++i) {
      State state = states_.at(parent_slots[i]);
      float reward = 0.0f;
      if (!state.absorbing) {
        const std::vector<Action> legal = state.game.legal_actions();
        if (std::find(legal.begin(), legal.end(), actions[i]) == legal.end()) {
          reward = -1.0f;
          state.absorbing = true;
        } else {
          reward = state.game.step(actions[i]).reward;
          state.absorbing = state.game.is_terminal();
        }
      }
      states_.at(slots[i]) = state;
      emit(state, reward, out);
    }
  }

 private:
  struct State {
    TicTacToe game;
    bool absorbing = false;
  };

  static void clear(InferenceOutputs& out) {
    out.values.clear();
    out.rewards.clear();
    out.policy_logits.clear();
  }

  static void emit(const State& state, float reward, InferenceOutputs& out) {
    out.values.push_back(state.absorbing ? 0.0f : static_cast<float>(state.game.solved_value()));
    out.rewards.push_back(reward);
    out.policy_logits.insert(out.policy_logits.end(), 9, 0.0f);
  }

  // Rebuilds the position by playing X's and O's stones alternately.
  static TicTacToe from_observation(std::span<const float> planes) {
    const bool x_to_move = planes[18] > 0;
    std::vector<Action> x, o;
    for (int cell = 0; cell < 9; ++cell) {
      const bool own = planes[cell] > 0.5f, other = planes[9 + cell] > 0.5f;
      if (own) (x_to_move ? x : o).push_back(cell);
      if (other) (x_to_move ? o : x).push_back(cell);
    }
    TicTacToe game;
    game.reset(0);
    for (std::size_t k = 0; k < x.size() + o.size(); ++k)
      game.step(k % 2 == 0 ? x[k / 2] : o[k / 2]);
    return game;
  }

  std::vector<State> states_;
};

}  // namespace muzero::testing
