#include "models/parameters.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <unordered_set>

namespace muzero {
namespace {

static_assert(std::endian::native == std::endian::little, "the encoding is little-endian");
constexpr char kMagic[4] = {'M', 'Z', 'P', '1'};

std::string shape_text(std::span<const int> shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    text += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return text + "]";
}

bool printable_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxTensorNameLength) return false;
  for (char c : name) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  T get(const char* what) {
    T value;
    std::memcpy(&value, take(sizeof(T), what), sizeof(T));
    return value;
  }
  const char* take(std::size_t n, const char* what) {
    if (n > remaining()) throw ParametersError(std::string("parameters truncated in ") + what);
    const char* at = bytes_.data() + offset_;
    offset_ += n;
    return at;
  }
  std::size_t remaining() const { return bytes_.size() - offset_; }

 private:
  std::string_view bytes_;
  std::size_t offset_ = 0;
};

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

}  // namespace

std::size_t element_count(std::span<const int> shape) {
  std::size_t count = 1;
  for (int dim : shape) count *= static_cast<std::size_t>(dim);
  return count;
}

const NamedTensor& Parameters::at(std::string_view name) const {
  for (const NamedTensor& tensor : tensors) {
    if (tensor.name == name) return tensor;
  }
  throw ParametersError("the parameters have no tensor " + std::string(name));
}

std::string encode_parameters(const Parameters& parameters) {
  std::string out(kMagic, sizeof(kMagic));
  put<std::uint32_t>(out, static_cast<std::uint32_t>(parameters.tensors.size()));
  for (const NamedTensor& tensor : parameters.tensors) {
    if (element_count(tensor.shape) != tensor.values.size()) {
      throw ParametersError("tensor " + tensor.name + " holds " +
                            std::to_string(tensor.values.size()) + " values, not the " +
                            std::to_string(element_count(tensor.shape)) + " of its shape");
    }
    put<std::uint16_t>(out, static_cast<std::uint16_t>(tensor.name.size()));
    out += tensor.name;
    put<std::uint8_t>(out, static_cast<std::uint8_t>(tensor.shape.size()));
    for (int dim : tensor.shape) put<std::uint32_t>(out, static_cast<std::uint32_t>(dim));
    out.append(reinterpret_cast<const char*>(tensor.values.data()),
               tensor.values.size() * sizeof(float));
  }
  return out;
}

Parameters decode_parameters(std::string_view bytes) {
  Reader reader(bytes);
  if (std::memcmp(reader.take(sizeof(kMagic), "the magic"), kMagic, sizeof(kMagic)) != 0) {
    throw ParametersError("not a parameters encoding (bad magic)");
  }
  const auto count = reader.get<std::uint32_t>("the tensor count");
  if (count > kMaxParameterTensors) {
    throw ParametersError("too many tensors: " + std::to_string(count));
  }
  Parameters parameters;
  std::unordered_set<std::string> names;
  for (std::uint32_t t = 0; t < count; ++t) {
    NamedTensor tensor;
    const auto length = reader.get<std::uint16_t>("a name length");
    tensor.name.assign(reader.take(length, "a name"), length);
    if (!printable_name(tensor.name)) {
      throw ParametersError("tensor " + std::to_string(t) +
                            " has an empty, long or unprintable name");
    }
    if (!names.insert(tensor.name).second) {
      throw ParametersError("tensor " + tensor.name + " appears twice");
    }
    const auto rank = reader.get<std::uint8_t>("a rank");
    if (rank > kMaxTensorRank) {
      throw ParametersError("tensor " + tensor.name + " has rank " + std::to_string(rank));
    }
    std::size_t elements = 1;
    for (int d = 0; d < rank; ++d) {
      const auto dim = reader.get<std::uint32_t>("a dimension");
      if (dim > static_cast<std::uint32_t>(std::numeric_limits<int>::max())) {
        throw ParametersError("tensor " + tensor.name + " has a dimension out of range");
      }
      tensor.shape.push_back(static_cast<int>(dim));
      // Bounded by the bytes left before multiplying further, so the count cannot overflow.
      elements *= dim;
      if (elements > reader.remaining() / sizeof(float)) {
        throw ParametersError("tensor " + tensor.name + " " + shape_text(tensor.shape) +
                              " is larger than the bytes left");
      }
    }
    if (elements > reader.remaining() / sizeof(float)) {
      throw ParametersError("tensor " + tensor.name + " is larger than the bytes left");
    }
    tensor.values.resize(elements);
    const char* data = reader.take(elements * sizeof(float), "values");
    if (elements > 0) std::memcpy(tensor.values.data(), data, elements * sizeof(float));
    for (float value : tensor.values) {
      if (!std::isfinite(value)) {
        throw ParametersError("tensor " + tensor.name +
                              " holds values that are not finite (NaN or infinity)");
      }
    }
    parameters.tensors.push_back(std::move(tensor));
  }
  if (reader.remaining() != 0) throw ParametersError("unexpected bytes after the parameters");
  return parameters;
}

void check_layout(const Parameters& parameters, const ParameterLayout& layout) {
  std::map<std::string_view, const TensorSpec*> expected;
  for (const TensorSpec& spec : layout) expected[spec.name] = &spec;
  for (const NamedTensor& tensor : parameters.tensors) {
    const auto found = expected.find(tensor.name);
    if (found == expected.end()) {
      throw ParametersError("the parameters hold tensor " + tensor.name +
                            ", which this network does not have (another architecture)");
    }
    if (found->second->shape != tensor.shape) {
      throw ParametersError("tensor " + tensor.name + " has shape " + shape_text(tensor.shape) +
                            ", this network's is " + shape_text(found->second->shape) +
                            " (another architecture)");
    }
    if (tensor.values.size() != element_count(tensor.shape)) {
      throw ParametersError("tensor " + tensor.name + " holds the wrong number of values");
    }
    expected.erase(found);
  }
  if (!expected.empty()) {
    throw ParametersError("the parameters lack tensor " + std::string(expected.begin()->first) +
                          " (another architecture)");
  }
}

std::size_t encoded_parameters_size(const ParameterLayout& layout) {
  std::size_t size = sizeof(kMagic) + sizeof(std::uint32_t);
  for (const TensorSpec& spec : layout) {
    size += sizeof(std::uint16_t) + spec.name.size() + sizeof(std::uint8_t) +
            spec.shape.size() * sizeof(std::uint32_t) + element_count(spec.shape) * sizeof(float);
  }
  return size;
}

}  // namespace muzero
