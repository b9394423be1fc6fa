#include "games/symmetry.h"

#include <algorithm>
#include <stdexcept>

namespace muzero {

Symmetry planar_symmetry(const ObservationShape& shape, const std::vector<int>& cell_image,
                         std::vector<Action> action_image) {
  const int area = shape.height * shape.width;
  if (static_cast<int>(cell_image.size()) != area) {
    throw std::invalid_argument("planar_symmetry: one image per board cell");
  }
  Symmetry symmetry;
  symmetry.observation_source.resize(shape.size());
  for (int plane = 0; plane < shape.channels; ++plane) {
    for (int cell = 0; cell < area; ++cell) {
      symmetry.observation_source[plane * area + cell_image[cell]] = plane * area + cell;
    }
  }
  symmetry.action_image = std::move(action_image);
  return symmetry;
}

std::vector<float> relabel_observation(const Symmetry& symmetry,
                                       std::span<const float> observation) {
  if (observation.size() != symmetry.observation_source.size()) {
    throw std::invalid_argument("relabel_observation: observation size does not match");
  }
  std::vector<float> relabelled(observation.size());
  for (std::size_t i = 0; i < relabelled.size(); ++i) {
    relabelled[i] = observation[symmetry.observation_source[i]];
  }
  return relabelled;
}

void relabel_observation_in_place(const Symmetry& symmetry, std::span<float> observation) {
  const std::vector<float> relabelled = relabel_observation(symmetry, observation);
  std::copy(relabelled.begin(), relabelled.end(), observation.begin());
}

}  // namespace muzero
