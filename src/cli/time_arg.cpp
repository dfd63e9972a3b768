#include <iostream>

#include "base/time.hpp"
#include "cli/commands.hpp"

namespace reddalert::cli {

std::optional<long long> parse_time_arg(const std::string& option, const std::string& text) {
  if (const auto t = base::parse_time(text, base::now_millis())) return *t;
  std::cerr << "reddalert: " << option << ": cannot read the time \"" << text << "\"; accepted forms:\n"
            << "  1764547200000            epoch milliseconds\n"
            << "  2025-12-01T00:00:00Z     ISO 8601 (also 2025-12-01, or with +02:00)\n"
            << "  '2025-12-01 00:00:00'    date and time, UTC\n"
            << "  -6h, -7d, -30m           relative to now\n"
            << "from " << base::kTimeRange << '\n';
  return std::nullopt;
}

}  // namespace reddalert::cli
