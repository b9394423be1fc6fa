#pragma once
// The --opponent option of evaluate and play: one of a command's fixed names, or alphabeta:D.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "self_play/episode.h"

namespace muzero {

inline CLI::Validator opponent_validator(std::vector<std::string> names) {
  return CLI::Validator(
      [names](std::string& value) -> std::string {
        if (std::find(names.begin(), names.end(), value) != names.end()) return "";
        if (value.starts_with("alphabeta:")) {
          try {
            parse_opponent(value);
            return "";
          } catch (const std::invalid_argument& error) {
            return error.what();
          }
        }
        std::string list;
        for (const std::string& name : names) list += name + ", ";
        return "must be " + list + "or alphabeta:DEPTH, not '" + value + "'";
      },
      "OPPONENT");
}

}  // namespace muzero
