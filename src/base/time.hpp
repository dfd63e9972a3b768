// Epoch-millisecond times, as EDDA keeps them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reddalert::base {

using Millis = std::int64_t;

Millis now_millis();
// "2024-06-01T00:00:00Z", or "...:00.250Z" when there are milliseconds.
std::string iso8601(Millis ms);
// Accepts epoch milliseconds, ISO 8601 ("2024-06-01", "2024-06-01T10:00:00Z",
// "...T10:00:00.123+02:00"), "YYYY-MM-DD HH:MM:SS" (UTC), and relative "-6h", "-7d",
// "-30m", "-15s" (relative to `now`).
std::optional<Millis> parse_time(std::string_view text, Millis now);
// "90d", "6h", "15m", "30s", "500ms" -> milliseconds; nullopt past what Millis holds.
std::optional<Millis> parse_duration(std::string_view text);

}  // namespace reddalert::base
