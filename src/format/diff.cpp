#include "format/diff.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace reddalert::format {

namespace {

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    const std::size_t end = s.find('\n', start);
    if (end == std::string::npos) {
      out.push_back(s.substr(start) + "\n\\ No newline at end of file");
      break;
    }
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

enum class Op { Same, Del, Add };
struct Edit {
  Op op;
  std::size_t a, b;  // line indexes in before and after
};

// The edit script: common prefix and suffix first, then a longest common subsequence of
// what is between (past 40 million cells, that middle is all removed and all added).
std::vector<Edit> edits(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) ++suf;
  const std::size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  std::vector<Edit> out;
  for (std::size_t i = 0; i < pre; ++i) out.push_back({Op::Same, i, i});
  if (n * m <= 40'000'000) {
    std::vector<std::uint32_t> len((n + 1) * (m + 1), 0);
    const auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return len[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        at(i, j) = a[pre + i] == b[pre + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) {
        out.push_back({Op::Same, pre + i++, pre + j++});
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        out.push_back({Op::Del, pre + i++, pre + j});  // removed lines before added ones
      } else {
        out.push_back({Op::Add, pre + i, pre + j++});
      }
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) out.push_back({Op::Del, pre + i, pre});
    for (std::size_t j = 0; j < m; ++j) out.push_back({Op::Add, pre + n, pre + j});
  }
  for (std::size_t k = 0; k < suf; ++k) out.push_back({Op::Same, pre + n + k, pre + m + k});
  return out;
}

std::string range(std::size_t start, std::size_t count) {
  // Line numbers are 1-based; an empty range names the line before it.
  std::string s = std::to_string(count == 0 ? start : start + 1);
  if (count != 1) s += "," + std::to_string(count);
  return s;
}

}  // namespace

std::string unified_diff(const std::string& before, const std::string& after, const std::string& name) {
  if (before == after) return "";
  const std::vector<std::string> a = lines_of(before), b = lines_of(after);
  const std::vector<Edit> script = edits(a, b);
  constexpr std::size_t kContext = 3;
  std::string out = "--- a/" + name + "\n+++ b/" + name + "\n";
  std::size_t k = 0;
  while (k < script.size()) {
    // The next change, and the hunk around it: changes closer than twice the context join.
    while (k < script.size() && script[k].op == Op::Same) ++k;
    if (k == script.size()) break;
    const std::size_t first = k >= kContext ? k - kContext : 0;
    std::size_t last = k;  // one past the last change of the hunk
    std::size_t j = k;
    while (j < script.size()) {
      if (script[j].op != Op::Same) {
        last = j + 1;
        ++j;
        continue;
      }
      std::size_t same = 0;
      while (j + same < script.size() && script[j + same].op == Op::Same) ++same;
      if (j + same == script.size() || same > 2 * kContext) break;
      j += same;
    }
    const std::size_t end = std::min(script.size(), last + kContext);
    std::size_t a_count = 0, b_count = 0;
    for (std::size_t x = first; x < end; ++x) {
      a_count += script[x].op != Op::Add ? 1 : 0;
      b_count += script[x].op != Op::Del ? 1 : 0;
    }
    out += "@@ -" + range(script[first].a, a_count) + " +" + range(script[first].b, b_count) + " @@\n";
    for (std::size_t x = first; x < end; ++x) {
      const Edit& e = script[x];
      if (e.op == Op::Same) out += " " + a[e.a] + "\n";
      if (e.op == Op::Del) out += "-" + a[e.a] + "\n";
      if (e.op == Op::Add) out += "+" + b[e.b] + "\n";
    }
    k = end;
  }
  return out;
}

}  // namespace reddalert::format
