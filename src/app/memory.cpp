#include "app/memory.hpp"

#include <algorithm>
#include <unordered_set>

#include "app/engine.hpp"

namespace reddalert::app {

std::map<base::Millis, std::set<std::string>> policy_windows(const std::set<std::string>& policies,
                                                             const state::State& state,
                                                             std::optional<base::Millis> since, base::Millis fallback) {
  std::map<base::Millis, std::set<std::string>> out;
  for (const std::string& name : policies) {
    base::Millis start = fallback;
    if (since) {
      start = *since;
    } else if (const auto p = state.policies.find(name); p != state.policies.end() && p->second.until) {
      start = *p->second.until;
    } else if (state.legacy_since) {
      start = *state.legacy_since;
    }
    out[start].insert(name);
  }
  return out;
}

Classified classify(std::vector<model::Alert> raised, const ClassifyInput& in) {
  Classified out;
  if (in.state) out.records = in.state->alerts;
  std::unordered_set<std::string> firing;  // fingerprints raised, waived ones included
  std::size_t kept = 0;
  for (model::Alert& a : raised) {
    if (in.state) firing.insert(a.fingerprint);  // only what was reported earlier can resolve
    if (const config::Waiver* w = in.waivers ? find_waiver(*in.waivers, a, in.now) : nullptr) {
      // Not remembered either, so that it is reported when the waiver expires.
      ++out.waived;
      out.log.push_back("waived: " + a.policy + " " + a.id + " by " + w->location.str() + " until " +
                        base::iso8601(w->expires) + ": " + w->reason + (w->owner.empty() ? "" : " (" + w->owner + ")"));
      continue;
    }
    bool fresh = true;  // without a status file every alert is new
    if (in.state) {
      const auto [it, inserted] =
          out.records.try_emplace(a.fingerprint, state::AlertRecord{a.policy, a.id, in.until, in.until});
      fresh = inserted;
      it->second.last = in.until;
      a.first_seen = it->second.first;
      if (!fresh) {
        ++out.repeated;
        if (!in.all)
          out.log.push_back("repeated: " + a.policy + " " + a.id + ", first reported " +
                            base::iso8601(it->second.first));
      }
    }
    if (in.learn && fresh) ++out.learned;
    if (in.learn || (!fresh && !in.all)) continue;
    if (&raised[kept] != &a) raised[kept] = std::move(a);
    ++kept;
  }
  raised.erase(raised.begin() + static_cast<std::ptrdiff_t>(kept), raised.end());
  out.report = std::move(raised);

  // Reported earlier, evaluated now, not raised: the condition it described is gone.
  for (auto r = out.records.begin(); r != out.records.end();) {
    const auto p = in.resolving.find(r->second.policy);
    if (p == in.resolving.end() || firing.count(r->first)) {
      ++r;
      continue;
    }
    if (!in.learn) {
      model::Alert a = alert_of(*p->second.policy, r->second.id, p->second.since, in.until);
      a.fingerprint = r->first;
      a.first_seen = r->second.first;
      a.last_seen = r->second.last;
      a.resolved = true;
      out.log.push_back("resolved: " + a.policy + " " + a.id + ", last raised " + base::iso8601(a.last_seen));
      out.resolved.push_back(std::move(a));
    }
    r = out.records.erase(r);
  }
  std::stable_sort(out.resolved.begin(), out.resolved.end(), [](const model::Alert& a, const model::Alert& b) {
    return a.policy != b.policy ? a.policy < b.policy : a.id < b.id;
  });
  return out;
}

const config::Waiver* find_waiver(const config::WaiverFile& waivers, const model::Alert& alert, base::Millis now) {
  for (const config::Waiver& w : waivers.waivers) {
    if (w.policy != alert.policy || w.expires <= now) continue;
    if (w.id && *w.id != alert.id) continue;
    if (!w.resources.empty() && std::none_of(alert.resources.begin(), alert.resources.end(), [&](const std::string& r) {
          return std::find(w.resources.begin(), w.resources.end(), r) != w.resources.end();
        }))
      continue;
    return &w;
  }
  return nullptr;
}

}  // namespace reddalert::app
