#include "app/selection.hpp"

#include <algorithm>
#include <iterator>

#include "base/text.hpp"
#include "check/check.hpp"

namespace reddalert::app {

bool is_glob(std::string_view entry) { return entry.find_first_of("*?") != std::string_view::npos; }

bool glob_match(std::string_view glob, std::string_view name) {
  // The greedy walk with one backtrack point: the last `*` and where its run would end.
  std::size_t g = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (g < glob.size() && (glob[g] == '?' || glob[g] == name[n])) {
      ++g;
      ++n;
    } else if (g < glob.size() && glob[g] == '*') {
      star = g++;
      resume = n;
    } else if (star != std::string_view::npos) {
      g = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

int severity_rank(std::string_view severity) {
  for (std::size_t i = 0; i < std::size(check::kSeverities); ++i) {
    if (severity == check::kSeverities[i]) return static_cast<int>(i);
  }
  return -1;
}

void check_severity_option(const std::string& option, const std::string& value, base::Diagnostics& diagnostics) {
  if (severity_rank(value) >= 0) return;
  const std::vector<std::string> names(std::begin(check::kSeverities), std::end(check::kSeverities));
  const std::string hint = base::did_you_mean(value, names);
  diagnostics.error("E0301", {}, option + ": unknown severity `" + value + "`",
                    hint.empty() ? "use one of: " + base::join(names, ", ") : hint);
}

std::string unknown_policy_hint(const std::string& name, const std::vector<std::string>& loaded) {
  std::string hint = base::did_you_mean(name, loaded);
  if (!hint.empty()) return hint;
  std::vector<std::string> sorted = loaded;  // by name: the load order means nothing to the reader
  std::sort(sorted.begin(), sorted.end());
  return "loaded policies: " + base::join(sorted, ", ");
}

namespace {

bool entry_matches(const std::string& entry, const std::string& name) {
  return is_glob(entry) ? glob_match(entry, name) : entry == name;
}

bool any_entry_matches(const std::vector<std::string>& entries, const std::string& name) {
  return std::any_of(entries.begin(), entries.end(), [&](const std::string& e) { return entry_matches(e, name); });
}

// E0119 for each entry of --policy or --skip-policy that matches no loaded policy.
void check_entries(const std::vector<std::string>& entries, const std::vector<std::string>& names, const char* suffix,
                   base::Diagnostics& diagnostics) {
  for (const std::string& entry : entries) {
    if (std::any_of(names.begin(), names.end(), [&](const std::string& n) { return entry_matches(entry, n); }))
      continue;
    diagnostics.error("E0119", {},
                      (is_glob(entry) ? "no policy matches `" : "no policy named `") + entry + "`" + suffix,
                      unknown_policy_hint(entry, names));
  }
}

std::string count(std::size_t n) { return n == 0 ? "none" : std::to_string(n); }

}  // namespace

SelectionResult select_policies(const std::vector<PolicyFacts>& policies, const Selection& s) {
  SelectionResult r;
  std::vector<std::string> names;
  std::set<std::string> tag_set;
  for (const PolicyFacts& p : policies) {
    names.push_back(p.name);
    tag_set.insert(p.tags.begin(), p.tags.end());
  }
  check_entries(s.policies, names, "", r.diagnostics);
  check_entries(s.skip, names, " to skip", r.diagnostics);
  const std::vector<std::string> tags(tag_set.begin(), tag_set.end());
  for (const std::string& tag : s.tags) {
    if (tag_set.count(tag)) continue;
    std::string hint = base::did_you_mean(tag, tags);
    if (hint.empty())
      hint = tags.empty() ? "no loaded policy has tags" : "tags of the loaded policies: " + base::join(tags, ", ");
    r.diagnostics.error("E0119", {}, "no policy has tag `" + tag + "`", hint);
  }
  if (!s.severity.empty()) check_severity_option("--severity", s.severity, r.diagnostics);

  // The filters one after the other, so that an empty selection can say which one emptied it.
  std::vector<const PolicyFacts*> left;
  for (const PolicyFacts& p : policies) left.push_back(&p);
  std::vector<std::string> steps;
  // Each option given is a step; the configuration's `enabled` only when it left some out.
  const auto filter = [&](const std::string& option, auto keep, bool given = true) {
    const std::size_t before = left.size();
    left.erase(std::remove_if(left.begin(), left.end(), [&](const PolicyFacts* p) { return !keep(*p); }), left.end());
    if (before > 0 && (given || left.size() < before)) steps.push_back(option + " leaves " + count(left.size()));
  };
  if (!s.policies.empty())
    filter("--policy " + base::join(s.policies, ","),
           [&](const PolicyFacts& p) { return any_entry_matches(s.policies, p.name); });
  if (!s.tags.empty()) {
    filter("--tag " + base::join(s.tags, ","), [&](const PolicyFacts& p) {
      return std::any_of(p.tags.begin(), p.tags.end(), [&](const std::string& t) {
        return std::find(s.tags.begin(), s.tags.end(), t) != s.tags.end();
      });
    });
  }
  if (const int least = severity_rank(s.severity); least >= 0)
    filter("--severity " + s.severity, [&](const PolicyFacts& p) { return severity_rank(p.severity) >= least; });
  if (!s.skip.empty())
    filter("--skip-policy " + base::join(s.skip, ","),
           [&](const PolicyFacts& p) { return !any_entry_matches(s.skip, p.name); });
  // Naming a disabled policy exactly runs it: the command line wins. A glob is a filter.
  filter(
      "`enabled: false` in the configuration",
      [&](const PolicyFacts& p) {
        return p.enabled || std::find(s.policies.begin(), s.policies.end(), p.name) != s.policies.end();
      },
      false);

  for (const PolicyFacts* p : left) r.selected.insert(p->name);
  if (r.selected.empty() && s.narrows() && !r.diagnostics.has_errors()) {
    // The steps end with the one that left none: those after it had nothing to filter.
    r.diagnostics.error("E0124", {}, "the selection leaves no policy to run",
                        policies.empty()
                            ? "no policy is loaded"
                            : "of " + std::to_string(policies.size()) + " loaded policies, " + base::join(steps, ", "));
  }
  return r;
}

}  // namespace reddalert::app
