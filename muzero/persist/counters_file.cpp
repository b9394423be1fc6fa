#include "muzero/persist/counters_file.h"

#include <cmath>
#include <sstream>

#include "muzero/ipc/counters.h"
#include "muzero/persist/atomic_file.h"

namespace muzero {

void write_counters_file(const std::filesystem::path& path,
                         const std::map<std::string, double>& counters) {
  std::ostringstream text;
  text.precision(17);
  for (const auto& [name, value] : counters) text << name << ' ' << value << '\n';
  write_file_atomically(path, text.str());
}

CountersFileReport read_counters_file(std::istream& in) {
  CountersFileReport report;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // a blank line
    std::istringstream fields(line);
    std::string name, rest;
    double value = 0;
    if (!(fields >> name >> value) || (fields >> rest) || !std::isfinite(value)) {
      report.damage =
          std::to_string(number) + ": not a counter line ('" + line.substr(0, 80) + "')";
      return report;
    }
    if (counters::find_rule(name) == nullptr) {
      ++report.unknown;
      continue;
    }
    report.counters[name] = value;
  }
  return report;
}

}  // namespace muzero
