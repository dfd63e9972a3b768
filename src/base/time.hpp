// Epoch-millisecond times, as EDDA keeps them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reddalert::base {

using Millis = std::int64_t;

// The times reddalert takes, wherever they are read (a command line, a manifest, the status
// file, a revision, a test): 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z. Outside it a
// time is an error where it was read: a `since` of 1e300 milliseconds would be the year
// -292275055, and arithmetic on it undefined.
inline constexpr Millis kMinTime = 0;
inline constexpr Millis kMaxTime = 253402300799999;
inline constexpr const char* kTimeRange = "1970-01-01 to 9999-12-31";
inline bool valid_time(Millis t) { return t >= kMinTime && t <= kMaxTime; }
// `d` (a number read from JSON or YAML) as a time: a whole number of milliseconds in range.
std::optional<Millis> time_of(double d);

Millis now_millis();
// "2024-06-01T00:00:00Z", or "...:00.250Z" when there are milliseconds.
std::string iso8601(Millis ms);
// Accepts epoch milliseconds, ISO 8601 ("2024-06-01", "2024-06-01T10:00:00Z",
// "...T10:00:00.123+02:00"), "YYYY-MM-DD HH:MM:SS" (UTC), and relative "-6h", "-7d",
// "-30m", "-15s" (relative to `now`); nullopt also for a time outside the valid range.
std::optional<Millis> parse_time(std::string_view text, Millis now);
// "90d", "6h", "15m", "30s", "500ms" -> milliseconds; nullopt past kMaxTime.
std::optional<Millis> parse_duration(std::string_view text);

}  // namespace reddalert::base
