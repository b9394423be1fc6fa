#pragma once
// A network's parameters as plain named float tensors, torch-free: what the trainer publishes,
// storage checks and hands out, and every evaluator (LibTorch or native) loads. The encoding is
// compact (a name and a shape per tensor, then raw little-endian float32) and decoded strictly:
// a hostile or damaged byte string is refused with a reason, never half read.
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace muzero {

class ParametersError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct NamedTensor {
  std::string name;        // as the LibTorch module names it, e.g. "representation.0.weight"
  std::vector<int> shape;  // row-major; empty for a scalar
  std::vector<float> values;
};

struct Parameters {
  std::vector<NamedTensor> tensors;
  // The tensor called `name`; throws ParametersError when there is none.
  const NamedTensor& at(std::string_view name) const;
};

// Limits of the decoder (a message can never make it allocate more than its own size).
constexpr std::size_t kMaxParameterTensors = 4096;
constexpr std::size_t kMaxTensorNameLength = 255;
constexpr std::size_t kMaxTensorRank = 8;

std::string encode_parameters(const Parameters& parameters);
// Throws ParametersError: a bad magic, a truncated or oversized field, a duplicate or
// unprintable name, values that are not finite (NaN or infinity), trailing bytes.
Parameters decode_parameters(std::string_view bytes);

// The expected name and shape of each tensor of one architecture (models/network_layout.h).
struct TensorSpec {
  std::string name;
  std::vector<int> shape;
};
using ParameterLayout = std::vector<TensorSpec>;

// Refuses (ParametersError naming the first difference) parameters that lack a tensor of the
// layout, hold one it does not have, or hold one of another shape.
void check_layout(const Parameters& parameters, const ParameterLayout& layout);
// The size of encode_parameters' output for parameters of this layout.
std::size_t encoded_parameters_size(const ParameterLayout& layout);
std::size_t element_count(std::span<const int> shape);

}  // namespace muzero
