#include "muzero/ipc/messages.h"

#include <cmath>
#include <string>

namespace muzero {
namespace {

// Sanity limits far above any real game, so a corrupt header cannot ask for absurd sizes.
constexpr std::uint32_t kMaxObservationSize = 1u << 24;
constexpr std::uint32_t kMaxActionSpace = 1u << 20;

void check(bool ok, const char* what) {
  if (!ok) throw DecodeError(std::string("malformed game: ") + what);
}

}  // namespace

std::vector<std::byte> encode_game(const GameHistory& game) {
  PayloadWriter w;
  w.put<std::uint32_t>(static_cast<std::uint32_t>(game.observation_size));
  w.put<std::uint32_t>(static_cast<std::uint32_t>(game.action_space_size));
  w.put_vector<float>(game.observations);
  w.put_vector<std::int32_t>(game.actions);
  w.put_vector<float>(game.rewards);
  w.put_vector<std::int32_t>(game.to_play);
  w.put_vector<float>(game.root_values);
  w.put_vector<float>(game.child_visits);
  return std::move(w.bytes());
}

GameHistory decode_game(std::span<const std::byte> payload) {
  PayloadReader r(payload);
  GameHistory game;
  const auto observation_size = r.get<std::uint32_t>();
  const auto action_space = r.get<std::uint32_t>();
  check(observation_size >= 1 && observation_size <= kMaxObservationSize, "observation size");
  check(action_space >= 1 && action_space <= kMaxActionSpace, "action space size");
  game.observation_size = static_cast<int>(observation_size);
  game.action_space_size = static_cast<int>(action_space);
  game.observations = r.get_vector<float>();
  game.actions = r.get_vector<std::int32_t>();
  game.rewards = r.get_vector<float>();
  game.to_play = r.get_vector<std::int32_t>();
  game.root_values = r.get_vector<float>();
  game.child_visits = r.get_vector<float>();
  r.expect_end();
  const std::size_t moves = game.root_values.size();
  check(moves >= 1, "no moves");
  check(game.actions.size() == moves + 1 && game.rewards.size() == moves + 1 &&
            game.to_play.size() == moves + 1,
        "actions, rewards and players must have one entry per position");
  check(game.observations.size() == (moves + 1) * observation_size, "observation count");
  check(game.child_visits.size() == moves * action_space, "policy count");
  for (std::size_t i = 1; i <= moves; ++i) {
    check(game.actions[i] >= 0 && static_cast<std::uint32_t>(game.actions[i]) < action_space,
          "action out of range");
  }
  for (float v : game.root_values) check(std::isfinite(v), "non-finite root value");
  for (float v : game.rewards) check(std::isfinite(v), "non-finite reward");
  return game;
}

}  // namespace muzero
