#include <algorithm>
#include <charconv>
#include <cmath>

#include "eval/builtins_impl.hpp"
#include "eval/nodes.hpp"

namespace reddalert::eval::builtins {

Value len(Context&, const Node& call, Args& a) {
  const Kind k = a[0].kind();
  if (k == Kind::Null) return Value(0);
  if (k != Kind::String && k != Kind::List && k != Kind::Map) {
    call.fail(std::string("len() needs a string, list or map, found a ") + kind_name(k));
  }
  return Value(static_cast<double>(a[0].size()));
}

Value lower(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  expect_kind(call, a[0], Kind::String, "lower()");
  std::string s(a[0].as_string());
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return Value(std::move(s));
}

Value upper(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  expect_kind(call, a[0], Kind::String, "upper()");
  std::string s(a[0].as_string());
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return Value(std::move(s));
}

Value trim(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  expect_kind(call, a[0], Kind::String, "trim()");
  std::string_view s = a[0].as_string();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return Value(std::string(s));
}

Value split(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  expect_kind(call, a[0], Kind::String, "split()");
  expect_kind(call, a[1], Kind::String, "split() separator");
  const std::string_view s = a[0].as_string(), sep = a[1].as_string();
  if (sep.empty()) call.fail("split() needs a non-empty separator");
  List out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = s.find(sep, start);
    out.emplace_back(std::string(s.substr(start, at - start)));
    if (at == std::string_view::npos) break;
    start = at + sep.size();
  }
  return Value(std::move(out));
}

Value join(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value("");
  expect_kind(call, a[0], Kind::List, "join()");
  if (a.size() > 1) expect_kind(call, a[1], Kind::String, "join() separator");
  const std::string sep = a.size() > 1 ? std::string(a[1].as_string()) : std::string(", ");
  std::string out;
  bool first_item = true;
  a[0].for_each_element([&](const Value& e) {
    if (!first_item) out += sep;
    first_item = false;
    out += interpolate(e);
  });
  return Value(std::move(out));
}

Value startswith(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value(false);
  expect_kind(call, a[0], Kind::String, "startswith()");
  expect_kind(call, a[1], Kind::String, "startswith() prefix");
  return Value(a[0].as_string().substr(0, a[1].as_string().size()) == a[1].as_string());
}

Value endswith(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value(false);
  expect_kind(call, a[0], Kind::String, "endswith()");
  expect_kind(call, a[1], Kind::String, "endswith() suffix");
  const std::string_view s = a[0].as_string(), suf = a[1].as_string();
  return Value(s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf);
}

Value replace(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  expect_kind(call, a[0], Kind::String, "replace()");
  expect_kind(call, a[1], Kind::String, "replace() pattern");
  expect_kind(call, a[2], Kind::String, "replace() replacement");
  const std::string_view from = a[1].as_string(), to = a[2].as_string();
  std::string s(a[0].as_string());
  if (from.empty()) return Value(std::move(s));
  std::string out;
  std::size_t start = 0;
  for (std::size_t at; (at = s.find(from, start)) != std::string::npos; start = at + from.size()) {
    out.append(s, start, at - start);
    out += to;
  }
  out.append(s, start, std::string::npos);
  return Value(std::move(out));
}

Value string(Context&, const Node&, Args& a) { return Value(interpolate(a[0])); }

Value number(Context&, const Node& call, Args& a) {
  switch (a[0].kind()) {
    case Kind::Number: return a[0];
    case Kind::Null: return Value();
    case Kind::Bool: return Value(a[0].as_bool() ? 1 : 0);
    case Kind::String: {
      const std::string_view s = a[0].as_string();
      double d = 0;
      const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
      if (r.ec != std::errc() || r.ptr != s.data() + s.size() || s.empty()) return Value();
      return Value(d);
    }
    default: call.fail(std::string("number() cannot convert a ") + kind_name(a[0].kind()));
  }
}

Value slice(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  const Kind k = a[0].kind();
  if (k != Kind::String && k != Kind::List)
    call.fail(std::string("slice() needs a string or a list, found a ") + kind_name(k));
  const auto n = static_cast<double>(a[0].size());
  // Python-style bounds: negative counts from the end, out of range is clamped.
  auto bound = [&](const Value& v, double fallback) {
    if (v.is_null()) return fallback;
    expect_kind(call, v, Kind::Number, "slice() bound");
    const double d = std::floor(v.as_number());
    return std::clamp(d < 0 ? n + d : d, 0.0, n);
  };
  const double from = bound(a[1], 0);
  const double to = std::max(from, a.size() > 2 ? bound(a[2], n) : n);
  const auto b = static_cast<std::size_t>(from), e = static_cast<std::size_t>(to);
  if (k == Kind::String) return Value(std::string(a[0].as_string().substr(b, e - b)));
  List out;
  for (std::size_t i = b; i < e; ++i) out.push_back(a[0].at(i));
  return Value(std::move(out));
}

Value url_decode(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  expect_kind(call, a[0], Kind::String, "url_decode()");
  const std::string_view s = a[0].as_string();
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return Value(std::move(out));
}

}  // namespace reddalert::eval::builtins
