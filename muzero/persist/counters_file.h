#pragma once
// Shared storage's counters on disk (RUN_DIR/counters.txt), one "NAME VALUE" line each, read
// back when a run resumes or a crashed storage restarts.
#include <filesystem>
#include <istream>
#include <map>
#include <string>
#include <vector>

namespace muzero {

// Through AtomicFileWriter: a failure leaves the previous file; throws FileWriteError.
void write_counters_file(const std::filesystem::path& path,
                         const std::map<std::string, double>& counters);

struct CountersFileReport {
  std::map<std::string, double> counters;  // the lines read before any damage
  std::string damage;                      // "LINE: not a counter line ('TEXT')", or empty
  std::size_t unknown = 0;                 // lines naming no counter of counters::rules(), skipped
};

// Reads counters up to the first damaged line (one that is not NAME VALUE with a finite value).
CountersFileReport read_counters_file(std::istream& in);

}  // namespace muzero
