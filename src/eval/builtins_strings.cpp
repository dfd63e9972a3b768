#include <algorithm>
#include <charconv>
#include <cmath>

#include "base/gzip.hpp"
#include "base/text.hpp"
#include "eval/builtins_impl.hpp"
#include "eval/nodes.hpp"

namespace reddalert::eval::builtins {

namespace {

// Applies `f` to each byte of a string argument; null stays null.
template <class F>
Value map_bytes(Context& ctx, const Node& call, const Value& v, const char* what, F f) {
  if (v.is_null()) return Value();
  if (v.kind != Kind::String) return kind_error(ctx, call, v, Kind::String, what);
  char* out = static_cast<char*>(ctx.arena->allocate(v.size, 1));
  for (std::uint32_t i = 0; i < v.size; ++i) out[i] = static_cast<char>(f(static_cast<unsigned char>(v.chars[i])));
  return Value::string({out, v.size});
}

}  // namespace

Value len(Context& ctx, const Node& call, Args a) {
  const Kind k = a[0].kind;
  if (k == Kind::Null) return Value::number(0);
  if (k != Kind::String && k != Kind::List && k != Kind::Map) {
    return call.error(ctx, std::string("len() needs a string, list or map, found a ") + kind_name(k));
  }
  return Value::number(static_cast<double>(a[0].size));
}

Value lower(Context& ctx, const Node& call, Args a) {
  return map_bytes(ctx, call, a[0], "lower()", [](unsigned char c) { return std::tolower(c); });
}

Value upper(Context& ctx, const Node& call, Args a) {
  return map_bytes(ctx, call, a[0], "upper()", [](unsigned char c) { return std::toupper(c); });
}

Value trim(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value();
  if (a[0].kind != Kind::String) return kind_error(ctx, call, a[0], Kind::String, "trim()");
  std::string_view s = a[0].str();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return Value::string(s);  // a part of the argument, which lives as long
}

Value split(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value();
  if (a[0].kind != Kind::String) return kind_error(ctx, call, a[0], Kind::String, "split()");
  if (a[1].kind != Kind::String) return kind_error(ctx, call, a[1], Kind::String, "split() separator");
  const std::string_view s = a[0].str(), sep = a[1].str();
  if (sep.empty()) return call.error(ctx, "split() needs a non-empty separator");
  ListBuilder out(ctx, 4);
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = s.find(sep, start);
    out.push(Value::string(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start)));
    if (at == std::string_view::npos) break;
    start = at + sep.size();
  }
  return out.finish();
}

Value join(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value::string("");
  if (a[0].kind != Kind::List) return kind_error(ctx, call, a[0], Kind::List, "join()");
  if (a.size() > 1 && a[1].kind != Kind::String) return kind_error(ctx, call, a[1], Kind::String, "join() separator");
  const std::string_view sep = a.size() > 1 ? a[1].str() : std::string_view(", ");
  ctx.w.steps(a[0].size, &call);
  TextBuilder text(ctx);
  for (std::uint32_t i = 0; i < a[0].size; ++i) {
    if (i) text.append(sep);
    text.append(a[0].at(i));
  }
  return text.finish();
}

Value startswith(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value::of(false);
  if (a[0].kind != Kind::String) return kind_error(ctx, call, a[0], Kind::String, "startswith()");
  if (a[1].kind != Kind::String) return kind_error(ctx, call, a[1], Kind::String, "startswith() prefix");
  return Value::of(a[0].str().substr(0, a[1].size) == a[1].str());
}

Value endswith(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value::of(false);
  if (a[0].kind != Kind::String) return kind_error(ctx, call, a[0], Kind::String, "endswith()");
  if (a[1].kind != Kind::String) return kind_error(ctx, call, a[1], Kind::String, "endswith() suffix");
  const std::string_view s = a[0].str(), suf = a[1].str();
  return Value::of(s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf);
}

Value replace(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value();
  if (a[0].kind != Kind::String) return kind_error(ctx, call, a[0], Kind::String, "replace()");
  if (a[1].kind != Kind::String) return kind_error(ctx, call, a[1], Kind::String, "replace() pattern");
  if (a[2].kind != Kind::String) return kind_error(ctx, call, a[2], Kind::String, "replace() replacement");
  const std::string_view s = a[0].str(), from = a[1].str(), to = a[2].str();
  if (from.empty()) return a[0];
  TextBuilder text(ctx);
  std::size_t start = 0;
  for (std::size_t at; (at = s.find(from, start)) != std::string_view::npos; start = at + from.size()) {
    text.append(s.substr(start, at - start));
    text.append(to);
  }
  text.append(s.substr(start));
  return text.finish();
}

Value string(Context& ctx, const Node&, Args a) {
  if (a[0].kind == Kind::String) return a[0];
  TextBuilder text(ctx);
  text.append(a[0]);
  return text.finish();
}

Value number(Context& ctx, const Node& call, Args a) {
  switch (a[0].kind) {
    case Kind::Number: return a[0];
    case Kind::Null: return Value();
    case Kind::Bool: return Value::number(a[0].boolean ? 1 : 0);
    case Kind::String: {
      const std::string_view s = a[0].str();
      double d = 0;
      const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
      if (r.ec != std::errc() || r.ptr != s.data() + s.size() || s.empty()) return Value();
      return Value::number(d);
    }
    default: return call.error(ctx, std::string("number() cannot convert a ") + kind_name(a[0].kind));
  }
}

Value slice(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value();
  const Kind k = a[0].kind;
  if (k != Kind::String && k != Kind::List)
    return call.error(ctx, std::string("slice() needs a string or a list, found a ") + kind_name(k));
  const auto n = static_cast<double>(a[0].size);
  // Python-style bounds: negative counts from the end, out of range is clamped.
  Value problem;
  auto bound = [&](const Value& v, double fallback) {
    if (v.is_null()) return fallback;
    if (v.kind != Kind::Number) {
      problem = kind_error(ctx, call, v, Kind::Number, "slice() bound");
      return fallback;
    }
    const double d = std::floor(v.num);
    return std::clamp(d < 0 ? n + d : d, 0.0, n);
  };
  const double from = bound(a[1], 0);
  const double to = std::max(from, a.size() > 2 ? bound(a[2], n) : n);
  if (!problem.is_null()) return problem;
  const auto b = static_cast<std::size_t>(from), e = static_cast<std::size_t>(to);
  if (k == Kind::String) return Value::string(a[0].str().substr(b, e - b));
  // A view of the same elements.
  Value out = a[0];
  out.size = static_cast<std::uint32_t>(e - b);
  if (out.doc_backed()) {
    out.doc_items += b;
  } else {
    out.items += b;
  }
  return out;
}

Value url_decode(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value();
  if (a[0].kind != Kind::String) return kind_error(ctx, call, a[0], Kind::String, "url_decode()");
  const std::string_view s = a[0].str();
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  char* out = static_cast<char*>(ctx.arena->allocate(s.size(), 1));
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out[n++] = static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else if (s[i] == '+') {
      out[n++] = ' ';
    } else {
      out[n++] = s[i];
    }
  }
  return Value::string({out, n});
}

// User data is at most 16 KB of base64; inflated, a megabyte is far more than any script
// and bounds what a crafted stream can claim.
constexpr std::size_t kMaxInflated = std::size_t{1} << 20;

Value base64_decode(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value();
  if (a[0].kind != Kind::String) return kind_error(ctx, call, a[0], Kind::String, "base64_decode()");
  std::optional<std::string> bytes = base::base64_decode(a[0].str());
  if (bytes && base::is_gzip(*bytes)) bytes = base::gunzip(*bytes, kMaxInflated);
  if (!bytes || base::first_invalid_utf8(*bytes)) return Value();  // not base64, or not text
  char* out = static_cast<char*>(ctx.arena->allocate(bytes->size(), 1));
  std::copy(bytes->begin(), bytes->end(), out);
  return Value::string({out, bytes->size()});
}

}  // namespace reddalert::eval::builtins
