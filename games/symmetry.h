#pragma once
// Building and applying game symmetries (Symmetry in games/game.h).
#include <span>
#include <vector>

#include "games/game.h"

namespace muzero {

// A symmetry of a board game whose observation planes all share the same cells: the stone on
// cell p moves to cell_image[p] in every plane (cells are row * width + column).
Symmetry planar_symmetry(const ObservationShape& shape, const std::vector<int>& cell_image,
                         std::vector<Action> action_image);

// The observation as the symmetry relabels it.
std::vector<float> relabel_observation(const Symmetry& symmetry,
                                       std::span<const float> observation);

// Writes the relabelled observation over the original (sizes must match).
void relabel_observation_in_place(const Symmetry& symmetry, std::span<float> observation);

}  // namespace muzero
