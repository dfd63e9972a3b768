#include "app/compliance.hpp"

#include <algorithm>
#include <iomanip>

namespace reddalert::app {

const char* status_name(ControlStatus s) {
  switch (s) {
    case ControlStatus::Passed: return "passed";
    case ControlStatus::Failed: return "failed";
    case ControlStatus::NotEvaluated: return "not evaluated";
    case ControlStatus::NotCovered: return "not covered";
  }
  return "not covered";
}

std::vector<std::string> finding_checks(const std::vector<std::string>& details) {
  std::vector<std::string> out;
  for (const std::string& text : details) {
    const nlohmann::json d = nlohmann::json::parse(text, nullptr, false);
    const auto check = d.is_object() ? d.find("check") : d.end();
    out.push_back(d.is_object() && check != d.end() && check->is_string() ? check->get<std::string>() : "");
  }
  return out;
}

namespace {

// The framework whose control ids are Prowler's check ids, the ones `details.check` names.
constexpr const char* kProwler = "prowler";

// How many of `p`'s alerts count against control `c` of framework `f` (compliance.hpp says
// the rule): an alert does when one of its findings does, and a finding that names no check
// of the policy's counts against every control the policy maps.
std::size_t alerts_against(const config::Framework& f, const config::Control& c, const PolicyOutcome& p) {
  const auto prowler = p.controls.find(kProwler);
  if (prowler == p.controls.end()) return p.alerts;
  const std::vector<std::string>& checks = prowler->second;
  const auto is_mapped = [&](const std::string& k) {
    return std::find(checks.begin(), checks.end(), k) != checks.end();
  };
  // Against `c`, a finding of a mapped check: the check itself in Prowler's list; in another
  // framework, a check the catalog gives `c`, when it gives `c` any of the policy's.
  const bool related = f.id == kProwler || std::any_of(c.checks.begin(), c.checks.end(), is_mapped);
  const auto counts = [&](const std::string& k) {
    if (!is_mapped(k) || !related) return true;
    return f.id == kProwler ? k == c.id : std::find(c.checks.begin(), c.checks.end(), k) != c.checks.end();
  };
  const std::size_t listed = std::min(p.alerts, p.checks.size());
  std::size_t n = p.alerts - listed;
  for (std::size_t i = 0; i < listed; ++i) {
    const std::vector<std::string>& named = p.checks[i];
    if (named.empty() || std::any_of(named.begin(), named.end(), counts)) ++n;
  }
  return n;
}

}  // namespace

std::vector<FrameworkResult> compliance(const config::Catalog& catalog, const std::vector<std::string>& frameworks,
                                        const std::map<std::string, PolicyOutcome>& policies) {
  std::vector<FrameworkResult> out;
  for (const config::Framework& f : catalog.frameworks) {
    if (!frameworks.empty() && std::find(frameworks.begin(), frameworks.end(), f.id) == frameworks.end()) continue;
    FrameworkResult fr{.framework = &f, .controls = {}, .counts = {}};
    for (const config::Control& c : f.controls) {
      ControlResult r{.control = &c, .status = ControlStatus::NotCovered, .policies = {}, .alerts = 0, .reason = {}};
      std::string not_evaluated;
      for (const auto& [name, p] : policies) {
        const auto ids = p.controls.find(f.id);
        if (ids == p.controls.end() || std::find(ids->second.begin(), ids->second.end(), c.id) == ids->second.end())
          continue;
        r.policies.push_back(name);
        r.alerts += alerts_against(f, c, p);
        if (!p.not_evaluated.empty() && not_evaluated.empty()) not_evaluated = name + ": " + p.not_evaluated;
      }
      // Failed when a mapped policy found something; not evaluated when one could not look
      // (what it might have found is unknown); passed only when all looked and found nothing.
      if (r.policies.empty()) {
        r.reason = c.cls == "N" ? "outside the data EDDA serves: " + c.why
                                : "no policy of this run maps it (class " + c.cls + ")";
      } else if (r.alerts > 0) {
        r.status = ControlStatus::Failed;
      } else if (!not_evaluated.empty()) {
        r.status = ControlStatus::NotEvaluated;
        r.reason = not_evaluated;
      } else {
        r.status = ControlStatus::Passed;
      }
      ++fr.counts[r.status];
      fr.controls.push_back(std::move(r));
    }
    out.push_back(std::move(fr));
  }
  return out;
}

void write_compliance_text(const std::vector<FrameworkResult>& report, std::ostream& out) {
  bool first = true;
  for (const FrameworkResult& f : report) {
    if (!first) out << '\n';
    first = false;
    out << f.framework->id << ": " << f.framework->title << '\n';
    out << "  ";
    const ControlStatus order[] = {ControlStatus::Passed, ControlStatus::Failed, ControlStatus::NotEvaluated,
                                   ControlStatus::NotCovered};
    for (const ControlStatus s : order) {
      const auto it = f.counts.find(s);
      out << (s == order[0] ? "" : ", ") << (it == f.counts.end() ? 0 : it->second) << ' ' << status_name(s);
    }
    out << '\n';
    std::size_t width = 0;
    for (const ControlResult& c : f.controls) width = std::max(width, c.control->id.size());
    for (const ControlResult& c : f.controls) {
      std::string status = status_name(c.status);
      if (c.status == ControlStatus::Failed)
        status += " (" + std::to_string(c.alerts) + " alert" + (c.alerts == 1 ? ")" : "s)");
      out << "  " << std::left << std::setw(static_cast<int>(width)) << c.control->id << "  " << std::setw(18) << status
          << ' ' << (c.control->title.empty() ? c.control->id : c.control->title) << '\n';
      std::string by;
      for (const std::string& p : c.policies) by += (by.empty() ? "" : ", ") + p;
      const std::string pad(width + 4 + 19, ' ');
      if (!by.empty()) out << pad << "policies: " << by << '\n';
      if (!c.reason.empty()) out << pad << c.reason << '\n';
    }
  }
}

nlohmann::json compliance_json(const std::vector<FrameworkResult>& report) {
  nlohmann::json frameworks = nlohmann::json::array();
  for (const FrameworkResult& f : report) {
    nlohmann::json summary = nlohmann::json::object();
    for (const ControlStatus s :
         {ControlStatus::Passed, ControlStatus::Failed, ControlStatus::NotEvaluated, ControlStatus::NotCovered}) {
      const auto it = f.counts.find(s);
      summary[status_name(s)] = it == f.counts.end() ? 0 : it->second;
    }
    nlohmann::json controls = nlohmann::json::array();
    for (const ControlResult& c : f.controls) {
      controls.push_back({{"id", c.control->id},
                          {"title", c.control->title},
                          {"class", c.control->cls},
                          {"status", status_name(c.status)},
                          {"alerts", c.alerts},
                          {"policies", c.policies},
                          {"reason", c.reason.empty() ? nlohmann::json() : nlohmann::json(c.reason)}});
    }
    frameworks.push_back(
        {{"id", f.framework->id}, {"title", f.framework->title}, {"summary", summary}, {"controls", controls}});
  }
  return {{"format", "reddalert-compliance/1"}, {"frameworks", frameworks}};
}

}  // namespace reddalert::app
