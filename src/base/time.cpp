#include "base/time.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

namespace reddalert::base {

namespace {

// Howard Hinnant's days_from_civil.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  bool eat(char c) {
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  }
  std::optional<int> digits(std::size_t n) {
    if (i + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const char c = s[i + k];
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    i += n;
    return v;
  }
};

std::optional<Millis> parse_calendar(std::string_view text) {
  Cursor c{text};
  const auto y = c.digits(4);
  if (!y || !c.eat('-')) return std::nullopt;
  const auto mo = c.digits(2);
  if (!mo || !c.eat('-')) return std::nullopt;
  const auto d = c.digits(2);
  if (!d || *mo < 1 || *mo > 12 || *d < 1 || *d > 31) return std::nullopt;
  int hh = 0, mm = 0, ss = 0, ms = 0;
  Millis offset = 0;
  if (!c.done()) {
    if (!c.eat('T') && !c.eat(' ')) return std::nullopt;
    const auto h = c.digits(2);
    if (!h || !c.eat(':')) return std::nullopt;
    const auto mi = c.digits(2);
    if (!mi) return std::nullopt;
    hh = *h;
    mm = *mi;
    if (c.eat(':')) {
      const auto s = c.digits(2);
      if (!s) return std::nullopt;
      ss = *s;
      if (c.eat('.')) {
        int scale = 100;
        bool any = false;
        while (!c.done() && c.s[c.i] >= '0' && c.s[c.i] <= '9') {
          ms += (c.s[c.i] - '0') * scale;
          scale /= 10;
          ++c.i;
          any = true;
        }
        if (!any) return std::nullopt;
      }
    }
    if (c.eat('Z')) {
    } else if (!c.done() && (c.s[c.i] == '+' || c.s[c.i] == '-')) {
      const int sign = c.s[c.i] == '-' ? -1 : 1;
      ++c.i;
      const auto oh = c.digits(2);
      c.eat(':');
      const auto om = c.digits(2);
      if (!oh || !om) return std::nullopt;
      offset = sign * (static_cast<Millis>(*oh) * 3600000 + static_cast<Millis>(*om) * 60000);
    }
    if (!c.done() || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  }
  const std::int64_t days = days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d));
  return days * 86400000 + static_cast<Millis>(hh) * 3600000 + static_cast<Millis>(mm) * 60000 +
         static_cast<Millis>(ss) * 1000 + ms - offset;
}

}  // namespace

std::optional<Millis> time_of(double d) {
  if (!(d >= static_cast<double>(kMinTime) && d <= static_cast<double>(kMaxTime)) || d != std::floor(d)) {
    return std::nullopt;
  }
  return static_cast<Millis>(d);
}

Millis now_millis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string iso8601(Millis ms) {
  std::int64_t days = ms / 86400000;
  std::int64_t rem = ms % 86400000;
  if (rem < 0) {
    rem += 86400000;
    --days;
  }
  // civil_from_days
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[40];
  const int h = static_cast<int>(rem / 3600000), mi = static_cast<int>(rem / 60000 % 60),
            s = static_cast<int>(rem / 1000 % 60), milli = static_cast<int>(rem % 1000);
  if (milli) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<long long>(y), m, d, h, mi, s,
                  milli);
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m, d, h, mi, s);
  }
  return buf;
}

std::optional<Millis> parse_duration(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == 0) return std::nullopt;
  Millis n = 0;
  if (std::from_chars(text.data(), text.data() + i, n).ec != std::errc()) return std::nullopt;
  const std::string_view unit = text.substr(i);
  const Millis scale = unit == "ms"  ? 1
                       : unit == "s" ? 1000
                       : unit == "m" ? 60000
                       : unit == "h" ? 3600000
                       : unit == "d" ? 86400000
                                     : 0;
  if (scale == 0 || n > kMaxTime / scale) return std::nullopt;
  return n * scale;
}

std::optional<Millis> parse_time(std::string_view text, Millis now) {
  if (text.empty()) return std::nullopt;
  std::optional<Millis> t;
  if (text[0] == '-' && text.size() > 1) {
    if (const auto d = parse_duration(text.substr(1))) t = now - *d;
  } else if (text.find_first_not_of("0123456789") == std::string_view::npos) {
    Millis v = 0;
    if (std::from_chars(text.data(), text.data() + text.size(), v).ec == std::errc()) t = v;
  } else {
    t = parse_calendar(text);
  }
  if (t && !valid_time(*t)) return std::nullopt;
  return t;
}

}  // namespace reddalert::base
