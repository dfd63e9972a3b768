#include "app/alert_diff.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

namespace reddalert::app {

using model::Alert;

const char* status_name(PolicyChange::Status s) {
  switch (s) {
    case PolicyChange::Status::Added: return "added";
    case PolicyChange::Status::Removed: return "removed";
    case PolicyChange::Status::Renamed: return "renamed";
    case PolicyChange::Status::Changed: return "changed";
    case PolicyChange::Status::Unchanged: return "unchanged";
  }
  return "unchanged";
}

namespace {

bool same_alert(const Alert& a, const Alert& b) {
  return a.messages == b.messages && a.details == b.details && a.resources == b.resources && a.severity == b.severity &&
         a.title == b.title;
}

using ByPolicy = std::map<std::string, std::vector<const Alert*>>;

ByPolicy by_policy(const std::vector<Alert>& alerts) {
  ByPolicy out;
  for (const Alert& a : alerts) out[a.policy].push_back(&a);
  return out;
}

const std::vector<const Alert*>& alerts_of(const ByPolicy& m, const std::string& policy) {
  static const std::vector<const Alert*> none;
  const auto it = m.find(policy);
  return it == m.end() ? none : it->second;
}

// Alerts paired by id, in the order each side has them.
void compare_alerts(const std::vector<const Alert*>& before, const std::vector<const Alert*>& after, PolicyChange& c) {
  std::map<std::string, const Alert*> earlier;
  for (const Alert* a : before) earlier[a->id] = a;
  std::set<std::string> seen;
  for (const Alert* a : after) {
    seen.insert(a->id);
    const auto it = earlier.find(a->id);
    if (it == earlier.end()) {
      c.added.push_back(a);
    } else if (!same_alert(*it->second, *a)) {
      c.changed.emplace_back(it->second, a);
    }
  }
  for (const Alert* a : before) {
    if (!seen.count(a->id)) c.removed.push_back(a);
  }
}

std::vector<ParamChange> compare_params(const DiffPolicy& before, const DiffPolicy& after) {
  std::vector<ParamChange> out;
  std::set<std::string> names;
  for (const auto& [n, v] : before.params) names.insert(n);
  for (const auto& [n, v] : after.params) names.insert(n);
  for (const std::string& n : names) {
    ParamChange p{n, {}, {}};
    if (const auto it = before.params.find(n); it != before.params.end()) p.before = it->second;
    if (const auto it = after.params.find(n); it != after.params.end()) p.after = it->second;
    if (p.before != p.after) out.push_back(std::move(p));
  }
  return out;
}

PolicyChange change_of(const DiffPolicy& p) {
  PolicyChange c;
  c.policy = p.name;
  c.title = p.title;
  c.severity = p.severity;
  c.file = p.file;
  return c;
}

}  // namespace

DiffResult compare(const DiffSide& before, const DiffSide& after) {
  DiffResult r;
  r.base_failed = before.errors.has_errors();
  const ByPolicy alerts_before = by_policy(before.alerts), alerts_after = by_policy(after.alerts);
  std::map<std::string, const DiffPolicy*> old_policies;
  if (!r.base_failed) {
    for (const DiffPolicy& p : before.policies) old_policies[p.name] = &p;
  }
  std::set<std::string> new_names;
  for (const DiffPolicy& p : after.policies) new_names.insert(p.name);
  // A base policy whose name is gone, matched to a new name in the same file at the same
  // place, else by title.
  std::vector<const DiffPolicy*> gone;
  for (const auto& [name, p] : old_policies) {
    if (!new_names.count(name)) gone.push_back(p);
  }
  const auto take_renamed = [&](const DiffPolicy& p) -> const DiffPolicy* {
    if (old_policies.count(p.name)) return nullptr;
    auto it = std::find_if(gone.begin(), gone.end(),
                           [&](const DiffPolicy* g) { return g->file == p.file && g->ordinal == p.ordinal; });
    if (it == gone.end())
      it = std::find_if(gone.begin(), gone.end(), [&](const DiffPolicy* g) { return g->title == p.title; });
    if (it == gone.end()) return nullptr;
    const DiffPolicy* g = *it;
    gone.erase(it);
    return g;
  };
  for (const DiffPolicy& p : after.policies) {
    PolicyChange c = change_of(p);
    c.not_evaluated_after = p.not_evaluated;
    const auto same = old_policies.find(p.name);
    const DiffPolicy* old = same != old_policies.end() ? same->second : take_renamed(p);
    if (!old) {
      c.status = PolicyChange::Status::Added;
      c.added = alerts_of(alerts_after, p.name);
    } else {
      c.not_evaluated_before = old->not_evaluated;
      compare_alerts(alerts_of(alerts_before, old->name), alerts_of(alerts_after, p.name), c);
      c.params = compare_params(*old, p);
      if (old->name != p.name) {
        c.status = PolicyChange::Status::Renamed;
        c.renamed_from = old->name;
      } else if (!c.added.empty() || !c.removed.empty() || !c.changed.empty() || !c.params.empty() ||
                 c.not_evaluated_before != c.not_evaluated_after || old->severity != p.severity) {
        c.status = PolicyChange::Status::Changed;
      }
    }
    r.policies.push_back(std::move(c));
  }
  for (const DiffPolicy& p : before.policies) {
    if (r.base_failed || !std::count(gone.begin(), gone.end(), &p)) continue;
    PolicyChange c = change_of(p);
    c.status = PolicyChange::Status::Removed;
    c.not_evaluated_before = p.not_evaluated;
    c.removed = alerts_of(alerts_before, p.name);
    r.policies.push_back(std::move(c));
  }
  for (const PolicyChange& c : r.policies) {
    r.added += c.added.size();
    r.removed += c.removed.size();
    r.changed += c.changed.size();
  }
  return r;
}

// ---- reports -------------------------------------------------------------------------

namespace {

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string counts(const PolicyChange& c) {
  std::string out;
  if (!c.added.empty()) out += " +" + std::to_string(c.added.size());
  if (!c.removed.empty()) out += " -" + std::to_string(c.removed.size());
  if (!c.changed.empty()) out += " ~" + std::to_string(c.changed.size());
  return out;
}

bool listed(const PolicyChange& c) { return c.status != PolicyChange::Status::Unchanged; }

std::string first_message(const Alert& a) {
  if (a.messages.empty()) return {};
  std::string m = a.messages.front();
  if (a.messages.size() > 1) m += " (and " + plural(a.messages.size() - 1, "more message", "more messages") + ")";
  return m;
}

// The messages of `of` that `other` does not have, in order.
std::vector<std::string> only_in(const std::vector<std::string>& of, const std::vector<std::string>& other) {
  std::vector<std::string> out;
  for (const std::string& m : of) {
    if (std::find(other.begin(), other.end(), m) == other.end()) out.push_back(m);
  }
  return out;
}

std::string summary_line(const DiffResult& d) {
  std::size_t changed_policies = 0;
  for (const PolicyChange& c : d.policies) changed_policies += listed(c);
  std::string against = "against " + d.base + " (" + d.commit.substr(0, 12) + ")";
  if (!d.alerts_change() && changed_policies == 0)
    return against + ": no change in " + plural(d.policies.size(), "policy", "policies");
  return against + ": " + plural(d.added, "alert", "alerts") + " added, " + std::to_string(d.removed) + " removed, " +
         std::to_string(d.changed) + " changed; " + std::to_string(changed_policies) + " of " +
         plural(d.policies.size(), "policy", "policies") + " changed";
}

std::string param_value(const std::optional<std::string>& v) { return v ? *v : "(none)"; }

std::string not_evaluated_text(const PolicyChange& c) {
  std::string out;
  if (c.not_evaluated_before) out += "not evaluated before: " + *c.not_evaluated_before;
  if (c.not_evaluated_after)
    out += std::string(out.empty() ? "" : "; ") + "not evaluated now: " + *c.not_evaluated_after;
  return out;
}

}  // namespace

void write_diff_text(const DiffResult& d, std::ostream& out) {
  out << "reddalert diff " << summary_line(d) << '\n';
  if (d.base_failed) out << "the base does not compile: every alert is shown as added\n";
  for (const PolicyChange& c : d.policies) {
    if (!listed(c)) continue;
    out << c.policy << ": " << status_name(c.status);
    if (!c.renamed_from.empty()) out << " from " << c.renamed_from;
    out << counts(c) << '\n';
    if (const std::string ne = not_evaluated_text(c); !ne.empty()) out << "  " << ne << '\n';
    for (const ParamChange& p : c.params)
      out << "  param " << p.name << ": " << param_value(p.before) << " -> " << param_value(p.after) << '\n';
    for (const Alert* a : c.added) out << "  + " << a->id << "  " << first_message(*a) << '\n';
    for (const Alert* a : c.removed) out << "  - " << a->id << "  " << first_message(*a) << '\n';
    for (const auto& [b, a] : c.changed) {
      out << "  ~ " << a->id << '\n';
      if (b->severity != a->severity) out << "      severity: " << b->severity << " -> " << a->severity << '\n';
      for (const std::string& m : only_in(b->messages, a->messages)) out << "      - " << m << '\n';
      for (const std::string& m : only_in(a->messages, b->messages)) out << "      + " << m << '\n';
      if (b->details != a->details) out << "      details changed\n";
      if (b->resources != a->resources) out << "      resources changed\n";
    }
  }
}

namespace {

// A code span holding `text` verbatim: what an alert carries comes from the data (tags,
// names), and in a code span it can neither format nor link, inject HTML or mention anyone.
std::string md_code(const std::string& text) {
  std::string flat = text;
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  std::replace(flat.begin(), flat.end(), '\r', ' ');
  std::size_t longest = 0, run = 0;
  for (char ch : flat) {
    run = ch == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = flat.empty() || flat.front() == '`' || flat.back() == '`' || flat.front() == ' ';
  return fence + (pad ? " " : "") + flat + (pad ? " " : "") + fence;
}

void md_alerts(std::ostream& out, const char* heading, const std::vector<const Alert*>& alerts,
               const DiffReportOptions& o) {
  if (alerts.empty()) return;
  out << "\n" << heading << ":\n\n";
  for (std::size_t i = 0; i < alerts.size() && i < o.max_alerts; ++i)
    out << "- " << md_code(alerts[i]->id) << " " << md_code(first_message(*alerts[i])) << '\n';
  if (alerts.size() > o.max_alerts) out << "- and " << alerts.size() - o.max_alerts << " more\n";
}

}  // namespace

void write_diff_markdown(const DiffResult& d, std::ostream& out, const DiffReportOptions& o) {
  out << "### reddalert: what this change does to the alerts\n\n";
  out << "Compared " << summary_line(d) << ".\n";
  if (d.base_failed)
    out << "\n**The base revision does not compile**: its alerts are unknown, so every alert is shown as added.\n";
  bool any = false;
  for (const PolicyChange& c : d.policies) any = any || listed(c);
  if (!any) return;
  out << "\n| policy | change | added | removed | changed |\n|---|---|---:|---:|---:|\n";
  for (const PolicyChange& c : d.policies) {
    if (!listed(c)) continue;
    out << "| " << md_code(c.policy) << " | " << status_name(c.status) << " | " << c.added.size() << " | "
        << c.removed.size() << " | " << c.changed.size() << " |\n";
  }
  for (const PolicyChange& c : d.policies) {
    if (!listed(c)) continue;
    out << "\n#### " << md_code(c.policy) << " (" << status_name(c.status);
    if (!c.renamed_from.empty()) out << " from " << md_code(c.renamed_from);
    out << ")\n";
    if (const std::string ne = not_evaluated_text(c); !ne.empty()) out << '\n' << md_code(ne) << '\n';
    if (!c.params.empty()) {
      out << "\nParams:\n\n";
      for (const ParamChange& p : c.params)
        out << "- " << md_code(p.name) << ": " << md_code(param_value(p.before)) << " → "
            << md_code(param_value(p.after)) << '\n';
    }
    md_alerts(out, "Added", c.added, o);
    md_alerts(out, "Removed", c.removed, o);
    if (!c.changed.empty()) {
      out << "\nChanged:\n\n";
      for (std::size_t i = 0; i < c.changed.size() && i < o.max_alerts; ++i) {
        const auto& [b, a] = c.changed[i];
        out << "- " << md_code(a->id);
        if (b->severity != a->severity) out << " severity " << b->severity << " → " << a->severity;
        out << '\n';
        for (const std::string& m : only_in(b->messages, a->messages)) out << "  - before: " << md_code(m) << '\n';
        for (const std::string& m : only_in(a->messages, b->messages)) out << "  - after: " << md_code(m) << '\n';
        if (b->details != a->details) out << "  - details changed\n";
      }
      if (c.changed.size() > o.max_alerts) out << "- and " << c.changed.size() - o.max_alerts << " more\n";
    }
  }
}

void write_diff_json(const DiffResult& d, const base::Diagnostics& base_errors, std::ostream& out) {
  nlohmann::json policies = nlohmann::json::array();
  std::size_t changed_policies = 0;
  const auto alerts = [](const std::vector<const Alert*>& list) {
    nlohmann::json a = nlohmann::json::array();
    for (const Alert* x : list) a.push_back(model::to_json(*x));
    return a;
  };
  const auto value = [](const std::optional<std::string>& v) {
    return v ? nlohmann::json::parse(*v) : nlohmann::json();
  };
  for (const PolicyChange& c : d.policies) {
    changed_policies += listed(c);
    nlohmann::json p = {{"policy", c.policy},
                        {"status", status_name(c.status)},
                        {"added", alerts(c.added)},
                        {"removed", alerts(c.removed)},
                        {"changed", nlohmann::json::array()}};
    if (!c.renamed_from.empty()) p["renamed_from"] = c.renamed_from;
    for (const auto& [b, a] : c.changed)
      p["changed"].push_back({{"before", model::to_json(*b)}, {"after", model::to_json(*a)}});
    if (!c.params.empty()) {
      p["params"] = nlohmann::json::array();
      for (const ParamChange& pc : c.params)
        p["params"].push_back({{"name", pc.name}, {"before", value(pc.before)}, {"after", value(pc.after)}});
    }
    if (c.not_evaluated_before || c.not_evaluated_after) {
      p["not_evaluated"] = {{"before", c.not_evaluated_before ? nlohmann::json(*c.not_evaluated_before) : nullptr},
                            {"after", c.not_evaluated_after ? nlohmann::json(*c.not_evaluated_after) : nullptr}};
    }
    policies.push_back(std::move(p));
  }
  nlohmann::json j = {{"format", "reddalert-diff/1"},
                      {"base", d.base},
                      {"commit", d.commit},
                      {"base_failed", d.base_failed},
                      {"summary",
                       {{"added", d.added},
                        {"removed", d.removed},
                        {"changed", d.changed},
                        {"policies", d.policies.size()},
                        {"policies_changed", changed_policies}}},
                      {"policies", std::move(policies)}};
  if (d.base_failed) {
    j["base_errors"] = nlohmann::json::array();
    for (const base::Diagnostic& e : base_errors.sorted())
      if (e.severity == base::Severity::Error)
        j["base_errors"].push_back(nlohmann::json::parse(base::render_json_line(e)));
  }
  out << j.dump(2) << '\n';
}

}  // namespace reddalert::app
