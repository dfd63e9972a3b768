#include "app/engine.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <unordered_map>
#include <utility>

#include "base/text.hpp"
#include "check/metadata.hpp"
#include "check/suppress.hpp"
#include "check/uses.hpp"
#include "sinks/formats.hpp"

namespace reddalert::app {

namespace {

// Config param values as evaluator values, keyed by policy and param.
check::ParamOverrides overrides_of(const config::Config& c) {
  check::ParamOverrides out;
  for (const auto& [policy, pc] : c.policies_config) {
    for (const auto& [name, pv] : pc.params) out[policy][name] = {pv.value, pv.location};
  }
  return out;
}

// Names in the configuration that match no policy or param.
// With policies named on the command line, the configuration may well configure others:
// an unknown policy name is then only a warning.
void check_config_names(const config::Config& c, const check::CheckedProgram& program, bool subset,
                        base::Diagnostics& diags) {
  std::map<std::string, const ast::Policy*> policies;
  for (const ast::Policy* p : program.policies) policies[p->name] = p;
  std::vector<std::string> policy_names;
  for (const auto& [name, p] : policies) policy_names.push_back(name);
  for (const auto& [name, pc] : c.policies_config) {
    const auto it = policies.find(name);
    if (it == policies.end()) {
      const std::string hint = unknown_policy_hint(name, policy_names);
      const std::string message = "the configuration names policy `" + name + "`, which is not loaded";
      // With policies named on the command line (a pre-commit hook linting the files it
      // changed), the others are simply not loaded. The original tool's plugins that needed
      // other data sources (s3acl, chef, ...) have no policy: their settings are ignored,
      // with a warning.
      if (subset) continue;
      if (pc.original) {
        diags.warning("W0403", pc.location, message, hint);
      } else {
        diags.error("E0403", pc.location, message, hint);
      }
      continue;
    }
    std::vector<std::string> params;
    for (const auto& prm : it->second->params) params.push_back(prm.name);
    for (const auto& [param, pv] : pc.params) {
      if (std::find(params.begin(), params.end(), param) != params.end()) continue;
      std::string hint = base::did_you_mean(param, params);
      if (hint.empty()) hint = params.empty() ? "it declares no params" : "its params: " + base::join(params, ", ");
      diags.error("E0404", pv.location, "policy `" + name + "` has no param `" + param + "`", hint);
    }
  }
}

// Waivers naming no loaded policy (a did-you-mean), and expired ones (their alerts are
// reported again).
void check_waivers(const config::WaiverFile& waivers, const std::vector<std::string>& names, bool subset,
                   base::Millis now, base::Diagnostics& diags) {
  for (const config::Waiver& w : waivers.waivers) {
    if (std::find(names.begin(), names.end(), w.policy) == names.end()) {
      // With policies named on the command line, the others are not loaded: not a mistake.
      if (!subset) {
        diags.error("E0413", w.policy_location, "the waiver names policy `" + w.policy + "`, which is not loaded",
                    unknown_policy_hint(w.policy, names));
      }
    }
    if (w.expires <= now) {
      diags.warning("W0414", w.expires_location,
                    "this waiver of `" + w.policy + "` expired on " + base::iso8601(w.expires) +
                        ": its alerts are reported again",
                    "renew it with a later `expires` after a review, or delete it");
    }
  }
}

// --control FRAMEWORK: of the selected policies, those whose `controls` name one of
// `frameworks`. A framework no loaded policy is mapped to is E0119, as an unknown --policy
// name is: a misspelt framework must not make a clean run of nothing.
void select_by_controls(const std::set<std::string>& frameworks, const check::CheckedProgram& program,
                        std::set<std::string>& selected, base::Diagnostics& diags) {
  if (frameworks.empty()) return;
  std::set<std::string> known;
  for (const ast::Policy* p : program.policies) {
    for (const auto& [framework, ids] : check::controls_of(*p)) known.insert(framework);
  }
  for (const std::string& framework : frameworks) {
    if (known.count(framework)) continue;
    std::string hint = base::did_you_mean(framework, {known.begin(), known.end()});
    if (hint.empty())
      hint = known.empty() ? "no loaded policy declares `controls`"
                           : "frameworks of the loaded policies: " + base::join({known.begin(), known.end()}, ", ");
    diags.add({base::Severity::Error,
               "E0119",
               {},
               "no loaded policy is mapped to framework `" + framework + "` (`controls`)",
               hint,
               {}});
  }
  for (const ast::Policy* p : program.policies) {
    if (!check::maps_to_framework(*p, frameworks)) selected.erase(p->name);
  }
}

// The configuration's `lint:` levels (operations.md): a warning made an error, or left out.
base::Diagnostics apply_levels(const std::map<std::string, config::LintRule>& rules, const base::Diagnostics& diags) {
  if (rules.empty()) return diags;
  base::Diagnostics out;
  for (base::Diagnostic d : diags.items()) {
    const auto it = d.severity == base::Severity::Warning ? rules.find(d.code) : rules.end();
    if (it != rules.end() && it->second.level == config::LintLevel::Off) continue;
    if (it != rules.end() && it->second.level == config::LintLevel::Error) d.severity = base::Severity::Error;
    out.add(std::move(d));
  }
  return out;
}

}  // namespace

Engine::Engine(const LoadRequest& request) {
  Loaded& l = loaded_;
  const auto rooted = [&](std::string path) {
    if (request.root.empty() || path.empty() || path.front() == '/' || path == kNoConfig) return path;
    return (std::filesystem::path(request.root) / path).lexically_normal().string();
  };
  std::string config_path = request.config_path;
  std::error_code exists_error;
  if (config_path.empty() && !request.no_config && std::filesystem::exists(rooted(kDefaultConfig), exists_error))
    config_path = kDefaultConfig;
  if (config_path == kNoConfig) config_path.clear();
  if (!config_path.empty()) {
    config::LoadResult c = config::load(rooted(config_path));
    l.diagnostics.append(c.diagnostics);
    l.config = std::move(c.config);
    if (l.config) {
      for (std::string& p : l.config->policies) p = rooted(p);
      for (std::string& p : l.config->import_paths) p = rooted(p);
    }
  }
  std::vector<std::string> paths = request.paths;
  if (paths.empty() && l.config && !l.config->policies.empty()) paths = l.config->policies;
  if (paths.empty()) paths = {"policies"};
  for (std::string& p : paths) p = rooted(p);
  l.paths = paths;

  // The policy tree, which a path named inside it has as its root (language.md, "The policy
  // root"): what a run without paths loads.
  const std::vector<std::string> tree =
      l.config && !l.config->policies.empty() ? l.config->policies : std::vector<std::string>{rooted("policies")};
  const std::vector<std::string> import_paths = l.config ? l.config->import_paths : std::vector<std::string>{};
  l.workspace = request.text ? check::load_text(paths.front(), *request.text, import_paths, tree)
                             : check::load(paths, import_paths, tree);
  l.diagnostics.append(l.workspace.diagnostics);
  l.checked = check::check(l.workspace, l.config ? overrides_of(*l.config) : check::ParamOverrides{});
  l.diagnostics.append(l.checked.diagnostics);
  if (l.config) check_config_names(*l.config, l.checked.program, !request.paths.empty(), l.diagnostics);
  std::vector<std::string> names;
  for (const ast::Policy* p : l.checked.program.policies) names.push_back(p->name);
  if (l.config && l.config->waivers && request.waivers) {
    config::WaiversResult w = config::load_waivers(*l.config->waivers, l.config->waivers_location);
    l.diagnostics.append(w.diagnostics);
    if (w.file) {
      l.waivers = std::move(*w.file);
      check_waivers(l.waivers, names, !request.paths.empty(), request.now ? request.now : base::now_millis(),
                    l.diagnostics);
    }
  }

  // Suppression comments, then the configured levels, over everything loading and checking
  // found (compiling finds errors only, which neither changes).
  l.diagnostics = check::apply_suppressions(l.workspace, l.diagnostics);
  if (l.config) l.diagnostics = apply_levels(l.config->lint, l.diagnostics);

  // What the selection reads of each policy: its severity from the syntax tree, its tags
  // computed (a constant expression) when --tag needs them and the policies load cleanly.
  std::vector<PolicyFacts> facts;
  for (const ast::Policy* p : l.checked.program.policies) {
    PolicyFacts f;
    f.name = p->name;
    for (const ast::MetaField& m : p->meta) {
      if (m.key == "severity" && m.value->as<ast::Name>()) f.severity = m.value->as<ast::Name>()->name;
    }
    if (l.config) {
      const auto it = l.config->policies_config.find(p->name);
      f.enabled = it == l.config->policies_config.end() || it->second.enabled;
    }
    facts.push_back(std::move(f));
  }
  if (!l.diagnostics.has_errors() && !request.selection.tags.empty()) {
    // A value that cannot be computed is an error here as it would be when compiling, so
    // that a policy is never left out for tags nobody could compute.
    const compile::CompileResult meta = compile::metadata(l.checked.program);
    l.diagnostics.append(meta.diagnostics);
    for (std::size_t i = 0; i < facts.size() && i < meta.program.policies.size(); ++i)
      facts[i].tags = meta.program.policies[i].tags;
  }
  SelectionResult selection = select_policies(facts, request.selection);
  l.selected = std::move(selection.selected);
  // Checked against the policies only once they load: a file with a syntax error has none,
  // and a name in it would be reported as unknown.
  if (!l.diagnostics.has_errors()) l.diagnostics.append(selection.diagnostics);
  select_by_controls({request.selection.controls.begin(), request.selection.controls.end()}, l.checked.program,
                     l.selected, l.diagnostics);
}

compile::CompileResult Engine::compile(const std::set<std::string>* only, const check::ParamOverrides* params,
                                       const compile::CompileOptions& options) const {
  return compile::compile(program(), only ? only : &loaded_.selected, params, options);
}

base::Diagnostics Engine::lint() const {
  base::Diagnostics all = loaded_.diagnostics;
  if (!all.has_errors()) all.append(compile().diagnostics);
  return all;
}

namespace {

// Whether `d` records `fields`: the last one as a member, whatever its value (an empty list
// of MFA devices, a null login profile: the source looked), a list holding the path in any
// element.
bool provides(const model::Doc& d, std::span<const std::string> fields) {
  if (fields.empty()) return true;
  if (d.type == model::DocType::List) {
    return std::any_of(d.elements().begin(), d.elements().end(),
                       [&](const model::Doc& e) { return provides(e, fields); });
  }
  if (d.type != model::DocType::Map) return false;
  const model::Doc* member = d.object->find(fields.front());
  return member && provides(*member, fields.subspan(1));
}

// Whether `p` requires `collection` itself (`requires ["aws.launchTemplates"]`).
bool requires_collection(const eval::CompiledPolicy& p, std::string_view collection) {
  return std::any_of(p.required.begin(), p.required.end(),
                     [&](const eval::RequiredField& f) { return f.collection == collection && f.fields.empty(); });
}

// Why the data cannot decide `p`: the first field it requires that some document of its
// collection should have and none has; empty when it can (or the collection is empty:
// then there is nothing to decide).
std::string unprovided(const eval::CompiledPolicy& p, const model::DataSet& data) {
  for (const eval::RequiredField& r : p.required) {
    const std::span<const model::Doc> docs = data.current(r.collection);
    if (docs.empty()) continue;
    if (std::none_of(docs.begin(), docs.end(), [&](const model::Doc& d) { return provides(d, r.fields); })) {
      return "field " + r.text + " not provided by this source (no document of " + r.collection + " has it)";
    }
  }
  return {};
}

}  // namespace

Evaluation Engine::evaluate(const eval::Program& program, DataSource& source, const EvaluateRequest& r) const {
  Evaluation e;
  e.read = source.read(program, r.window, r.pool);
  e.result = eval::evaluate(program, *e.read.data, r.window.since, r.window.until, r.seen, r.options);
  e.alerts = make_alerts(e.result, r.window.since, r.window.until, r.options.max_memory, &e.result.problems);
  const std::set<std::string> missing(e.read.missing.begin(), e.read.missing.end());
  // The collections `cp` reads that the source lacks.
  const auto lacking = [&](const eval::CompiledPolicy& cp) {
    std::vector<std::string> out;
    if (missing.empty()) return out;
    const auto p = std::find_if(this->program().policies.begin(), this->program().policies.end(),
                                [&](const ast::Policy* p) { return p->name == cp.name; });
    if (p == this->program().policies.end()) return out;
    for (const std::string& c : check::uses_of(this->program(), **p).collections) {
      if (missing.count(c)) out.push_back(c);
    }
    return out;
  };
  std::set<std::string> skipped;
  for (const eval::CompiledPolicy& cp : program.policies) {
    if (const std::vector<std::string> absent = lacking(cp); !absent.empty()) {
      // A collection the policy `requires` by name is a limit of the source, like a field it
      // lacks (no open-source EDDA serves aws.launchTemplates); any other is exit 6.
      if (std::all_of(absent.begin(), absent.end(), [&](const std::string& c) { return requires_collection(cp, c); })) {
        e.unprovided.insert(cp.name);
        e.not_evaluated.emplace_back(cp.name, "collection " + base::join(absent, ", ") +
                                                  " not provided by this source (" + source.lacks(absent) + ")");
      } else {
        e.not_evaluated.emplace_back(cp.name, source.lacks(absent));
      }
    } else if (std::string why = unprovided(cp, *e.read.data); !why.empty()) {
      e.unprovided.insert(cp.name);
      e.not_evaluated.emplace_back(cp.name, std::move(why));
    } else {
      continue;
    }
    skipped.insert(cp.name);
  }
  std::erase_if(e.alerts, [&](const model::Alert& a) { return skipped.count(a.policy) > 0; });
  std::erase_if(e.result.problems, [&](const eval::Problem& p) { return skipped.count(p.policy) > 0; });
  return e;
}

void print_diagnostics(const base::Diagnostics& diags, const std::string& format, std::ostream& out, std::ostream& err,
                       bool color) {
  const auto sorted = diags.sorted();
  if (format == "json") {
    out << "{\"diagnostics\":[";
    for (std::size_t i = 0; i < sorted.size(); ++i) out << (i ? "," : "") << base::render_json_line(sorted[i]);
    out << "],\"errors\":" << diags.error_count() << ",\"warnings\":" << diags.warning_count() << "}\n";
  } else if (format == "github") {
    for (const auto& d : sorted) out << base::render_github(d) << '\n';
  } else if (format == "sarif" || format == "junit") {
    sinks::write_diagnostics(format, sorted, out);
  } else {
    for (const auto& d : sorted) err << base::render(d, color) << '\n';
  }
}

model::Alert alert_of(const eval::CompiledPolicy& p, std::string id, base::Millis since, base::Millis until) {
  model::Alert a;
  a.policy = p.name;
  a.revision = p.revision;
  a.policy_fingerprint = p.fingerprint;
  a.severity = p.severity;
  a.title = p.title;
  a.id = std::move(id);
  a.file = p.location.path();
  a.line = static_cast<int>(p.location.line);
  a.help_url = p.help_url;
  a.references = p.references;
  a.controls = p.controls;
  a.first_seen = until;
  a.since = since;
  a.until = until;
  return a;
}

std::vector<model::Alert> make_alerts(const eval::EvaluationResult& result, base::Millis since, base::Millis until,
                                      std::size_t details_limit, std::vector<eval::Problem>* problems) {
  std::vector<model::Alert> out;
  // At most one alert per finding: allocated once (pages past the alerts made are never touched).
  std::size_t findings = 0;
  for (const eval::PolicyResult& pr : result.policies) findings += pr.findings.size();
  out.reserve(findings);
  for (const eval::PolicyResult& pr : result.policies) {
    const eval::CompiledPolicy& p = *pr.policy;
    std::unordered_map<std::string_view, std::size_t> by_id;
    by_id.reserve(pr.findings.size());
    // Distinct details per alert, as values: each converted to JSON once; and the keys.
    std::vector<std::vector<eval::Value>> details;
    std::vector<std::vector<std::string_view>> keys;
    const std::size_t first = out.size();
    for (const eval::Finding& f : pr.findings) {
      auto [it, fresh] = by_id.emplace(f.alert_id, out.size());
      if (fresh) {
        out.push_back(alert_of(p, std::string(f.alert_id), since, until));
        details.emplace_back();
        keys.emplace_back();
      }
      model::Alert& a = out[it->second];
      keys[it->second - first].push_back(f.key);
      if (std::find(a.messages.begin(), a.messages.end(), f.message) == a.messages.end())
        a.messages.emplace_back(f.message);
      if (!f.details.is_null()) {
        auto& seen = details[it->second - first];
        if (std::none_of(seen.begin(), seen.end(), [&](const eval::Value& d) { return eval::equal(d, f.details); })) {
          seen.push_back(f.details);
          try {
            a.details.push_back(eval::json_text(f.details, details_limit));
          } catch (const base::ArenaLimit& l) {
            const std::string message = "the details of this alert are more than " + std::to_string(l.limit) +
                                        " bytes of text and were left out (set limits.max_memory to allow more)";
            if (problems && !problems->empty() && problems->back().policy == p.name &&
                problems->back().message == message) {
              ++problems->back().count;  // reported once per policy, like any problem at one place
            } else if (problems) {
              problems->push_back({p.name, p.location, a.id, message, 1});
            }
          }
        }
      }
      for (const model::ResourceRef* r : f.resources) {
        if (std::find(a.resources.begin(), a.resources.end(), r->id) == a.resources.end())
          a.resources.emplace_back(r->id);
      }
      if (a.collection.empty() && !f.resources.empty()) a.collection = f.resources.front()->collection;
    }
    for (std::size_t i = first; i < out.size(); ++i)
      out[i].fingerprint = model::alert_fingerprint(out[i].policy, out[i].id, keys[i - first]);
    // By id: the same alerts come out in the same order whatever order the source gave.
    // Sorted as indices, then put in place cycle by cycle: each alert (a few hundred bytes
    // of strings) moves about once, and no second vector of them is needed.
    model::Alert* const alerts = out.data() + first;
    std::vector<std::size_t> from(out.size() - first);  // position i takes the alert at from[i]
    for (std::size_t i = 0; i < from.size(); ++i) from[i] = i;
    std::sort(from.begin(), from.end(), [&](std::size_t a, std::size_t b) { return alerts[a].id < alerts[b].id; });
    for (std::size_t i = 0; i < from.size(); ++i) {
      if (from[i] == i) continue;
      model::Alert held = std::move(alerts[i]);
      std::size_t j = i;
      for (; from[j] != i; j = std::exchange(from[j], j)) alerts[j] = std::move(alerts[from[j]]);
      alerts[j] = std::move(held);
      from[j] = j;
    }
  }
  return out;
}

}  // namespace reddalert::app
