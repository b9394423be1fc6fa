#pragma once
// Training targets for one sampled position, as in MuZero (Appendix G of the paper) and
// muzero-general's make_target. Pure functions of a game history.
#include <cstdint>
#include <random>
#include <span>

#include "replay_buffer/game_history.h"

namespace muzero {

struct TargetParams {
  int num_unroll_steps = 10;
  int td_steps = 50;
  double discount = 0.997;
  // replay_buffer.use_last_model_value: leave the bootstrap out of the value targets, for the
  // trainer to fill in with its current network (fresh values instead of old searches').
  bool use_last_model_value = false;
  // replay_buffer.root_value_mix: each value target becomes (1 - mix) x the n-step target +
  // mix x the search's root value at that position (the "z + q" average of AlphaZero
  // Connect4 work): the search's judgement of a position softens an outcome that later
  // exploration moves decided. 0: the n-step target alone, as in MuZero.
  double root_value_mix = 0.0;
};

// The bootstrap term of the n-step value target at `position`: scale * (value of position
// `index` for the player to move there); scale carries the discount and the sign between the
// two players. index -1 (scale 0) when there is none: at or past the end, or when the n steps
// run past the end of a finished game. When they run past the cut-off of a truncated game,
// index is the cut-off position (num_moves), which has an observation but no search.
struct ValueBootstrap {
  int index = -1;
  double scale = 0.0;
};
ValueBootstrap value_bootstrap(const GameHistory& history, int position, int td_steps,
                               double discount);

// The n-step value target without its bootstrap: the discounted rewards of the n moves from
// `position` (or up to the end), each negated when the other player earned it.
double value_target_rewards(const GameHistory& history, int position, int td_steps,
                            double discount);

// n-step value target at `position` for the player to move there:
//   sum_{i<n} discount^i * r_{position+1+i}  +  discount^n * root_value[position+n]
// with n = td_steps, each reward and the bootstrap value negated when they belong to the other
// player, the bootstrap dropped past the end of the game, and 0 at or past the end.
float value_target(const GameHistory& history, int position, int td_steps, double discount);

// Targets for the K+1 steps position..position+K. Spans have sizes K+1, K+1, K+1, (K+1) x A.
// Past the end of the game: value 0, reward 0 (except the last real reward), a uniform policy and
// a random action, so that the dynamics learn an absorbing state. Returns the gradient scale
// (the number of unrolled steps that lie in the game, at most K) as muzero-general does.
// With params.use_last_model_value, values hold value_target_rewards and `bootstraps` (size
// K+1) says what the trainer must add. params.root_value_mix scales both parts of the n-step
// target, bootstrap included, and adds its share of the root value.
float make_targets(const GameHistory& history, int position, const TargetParams& params,
                   std::mt19937_64& rng, std::span<std::int64_t> actions, std::span<float> values,
                   std::span<float> rewards, std::span<float> policies,
                   std::span<ValueBootstrap> bootstraps = {});

// The first of the K+1 unrolled steps from `position` whose value and policy targets are unknown:
// num_moves - position when a truncated game's cut-off lies within them, else K+1 (none). The
// cut-off position was never searched and nothing after it was played, but the game did not
// end there: the absorbing state that make_targets writes past a real end would teach the
// model a false end (in CartPole-v1, that a balanced pole is worth 0 after step 500). The loss
// leaves out the value and policy from this step on and the rewards after it; the reward that
// leads to the cut-off position is real.
int first_unknown_step(const GameHistory& history, int position, int num_unroll_steps);

// A move and a reply from `position` with the rewards the rules give them, drawn from the
// game's lookahead rewards (games/lookahead_rewards.h): the move among the legal ones, the reply
// among the legal replies (any action, with reward 0, when the move ends the game). Rewards other
// than 0 are rare (a win is one move in a game), so half the draws are among the moves that
// earn one when there are any; the other half are uniform. mask 0 (and actions 0) when the game
// holds no lookahead rewards.
struct LookaheadTarget {
  std::int64_t move = 0, reply = 0;
  float move_reward = 0.0f, reply_reward = 0.0f;
  float mask = 0.0f;
};
LookaheadTarget make_lookahead_target(const GameHistory& history, int position,
                                      std::mt19937_64& rng);

}  // namespace muzero
