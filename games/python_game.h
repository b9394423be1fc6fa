#pragma once
// Games written in Python (`game.python: path/to/file.py:ClassName` in a config), run through an
// embedded interpreter (pybind11). The search never calls a game, so Python runs once per real
// move (reset, step, legal moves), never per simulation. The class's protocol, all methods of
// one object per game in progress:
//   observation_shape  (channels, height, width), an attribute or a method
//   action_space_size  an int, attribute or method
//   num_players        1 or 2, attribute or method (1 when absent)
//   reset(seed)        -> the first observation (a flat sequence of numbers)
//   step(action)       -> (observation, reward, done) or (observation, reward, done, truncated)
//   legal_actions()    -> the legal actions, ints in [0, action_space_size)
//   to_play()          -> whose move, 0 or 1 (0 when absent)
//   render()           -> text, optional;  action_to_string(a), action_from_string(s) optional
//   expert_action()    -> an int or None, optional;  clone() optional (copy.deepcopy otherwise)
// What the game returns is checked (sizes, ranges, finite numbers); a Python exception or a
// wrong answer becomes a std::runtime_error that quotes it.
#include <memory>
#include <string>

#include "games/game.h"

namespace muzero {

// Registers the class named by `spec` ("FILE.py:Class"; FILE absolute) under `name`, after
// creating one instance to check that it loads; throws std::runtime_error saying why not.
void register_python_game(const std::string& name, const std::string& spec);

}  // namespace muzero
