#include "app/case_runner.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "base/text.hpp"
#include "model/collections.hpp"

namespace reddalert::app {

namespace fs = std::filesystem;

bool is_test_file(const std::string& path) {
  static constexpr std::string_view suffix = "_test.yaml";
  return path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> find_test_files(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        std::error_code file_ec;  // the throwing overload throws on an entry that cannot be stat'ed
        if (it->is_regular_file(file_ec) && is_test_file(it->path().filename().string()))
          out.push_back(it->path().string());
      }
    } else if (is_test_file(p)) {
      out.push_back(p);
    } else if (p.size() > 7 && p.compare(p.size() - 7, 7, ".policy") == 0) {
      // `reddalert test policies/x.policy` runs policies/x_test.yaml.
      const std::string beside = p.substr(0, p.size() - 7) + "_test.yaml";
      std::error_code file_ec;
      if (fs::is_regular_file(beside, file_ec)) out.push_back(beside);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());  // a file named and found beside its policy
  return out;
}

std::vector<std::string> policy_paths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    if (!is_test_file(p)) out.push_back(p);
  }
  return out;
}

namespace {

// Fields of `doc` that `schema` does not know (a closed object's), as dotted paths with a
// did-you-mean; lists and known fields are followed.
void unknown_fields(const nlohmann::json& doc, const model::Schema& schema, const std::string& path,
                    std::vector<std::pair<std::string, std::string>>& out) {
  if (doc.is_array() && schema.kind == model::Schema::Kind::List && schema.element) {
    for (const nlohmann::json& e : doc) unknown_fields(e, *schema.element, path + "[]", out);
    return;
  }
  if (!doc.is_object() || schema.kind != model::Schema::Kind::Object) return;
  for (const auto& [key, value] : doc.items()) {
    const model::Schema* field = schema.field(key);
    if (field) {
      unknown_fields(value, *field, path.empty() ? key : path + "." + key, out);
    } else if (!schema.open) {
      std::string hint = base::did_you_mean(key, schema.field_names());
      if (hint.empty()) hint = "known fields there: " + base::join(schema.field_names(), ", ");
      out.emplace_back(path.empty() ? key : path + "." + key, std::move(hint));
    }
  }
}

// A case's data checked against the collection table: a collection EDDA has no such name
// for, or a field its schema does not know, is E0504 with a did-you-mean (a misspelt name
// would make the case test nothing).
void check_test_data(const config::TestFile& f, base::Diagnostics& diagnostics) {
  for (const config::TestCase& c : f.cases) {
    for (const auto& [name, docs] : c.data) {
      const base::Location& where = c.data_locations.at(name);
      const model::CollectionInfo* info = model::find_collection(name);
      if (!info) {
        std::string hint = base::did_you_mean(name, model::collection_names());
        diagnostics.error("E0504", where, "test case `" + c.name + "`: no collection is named `" + name + "`",
                          hint.empty() ? "collections: " + base::join(model::collection_names(), ", ") : hint);
        continue;
      }
      std::set<std::string> reported;
      for (const nlohmann::json& d : docs) {
        // An EDDA envelope (it has `stime`) holds the document under `data`.
        const bool envelope = d.is_object() && d.contains("stime") && d.contains("data");
        std::vector<std::pair<std::string, std::string>> unknown;
        unknown_fields(envelope ? d["data"] : d, *info->schema, "", unknown);
        for (const auto& [field, hint] : unknown) {
          if (!reported.insert(field).second) continue;
          diagnostics.error("E0504", where,
                            "test case `" + c.name + "`: `" + name + "` documents have no field `" + field + "`", hint);
        }
      }
    }
  }
}

}  // namespace

std::optional<config::TestFile> check_test_file(const Engine& engine, config::TestFileResult read,
                                                base::Diagnostics& diagnostics) {
  diagnostics.append(read.diagnostics);
  if (!read.file) return std::nullopt;
  std::vector<std::string> names;
  for (const ast::Policy* p : engine.program().policies) names.push_back(p->name);
  check_test_data(*read.file, diagnostics);
  if (std::find(names.begin(), names.end(), read.file->policy) == names.end()) {
    diagnostics.error("E0503", read.file->policy_location, "no policy named `" + read.file->policy + "` is loaded",
                      base::did_you_mean(read.file->policy, names));
  }
  return std::move(read.file);
}

std::vector<config::TestFile> load_test_files(const Engine& engine, const std::vector<std::string>& paths,
                                              base::Diagnostics& diagnostics) {
  std::vector<config::TestFile> files;
  for (const std::string& path : find_test_files(paths)) {
    if (auto f = check_test_file(engine, config::load_test_file(path), diagnostics)) files.push_back(std::move(*f));
  }
  return files;
}

CaseRunner::CaseRunner(const Engine& engine, compile::CompileOptions options, const config::Config* config)
    : engine_(engine), options_(options), config_(config) {
  for (const ast::Policy* p : engine.program().policies) policies_[p->name] = p;
}

CaseOutcome CaseRunner::run(const config::TestFile& file, const config::TestCase& c) {
  CaseOutcome out;
  // A case starts from the declared defaults, or with `config_params` from the
  // configuration's params of its policy; its own `params` go over either.
  std::vector<std::tuple<std::string, nlohmann::json, base::Location>> params;
  if (c.config_params) {
    if (!config_) {
      out.error = c.config_params->str() +
                  ": the case runs with the configuration's params, but no configuration was read: pass -c FILE, "
                  "or run where etc/reddalert.yaml is";
      return out;
    }
    if (const auto pc = config_->policies_config.find(file.policy); pc != config_->policies_config.end()) {
      for (const auto& [name, pv] : pc->second.params) {
        if (!c.params.count(name)) params.emplace_back(name, pv.value, pv.location);
      }
    }
  }
  for (const auto& [name, value] : c.params) params.emplace_back(name, value, c.param_locations.at(name));
  check::ParamOverrides overrides;
  const ast::Policy& policy = *policies_.at(file.policy);
  const std::map<std::string, eval::Kind>& defaults = defaults_of(file.policy);
  for (const auto& [name, value, where] : params) {
    const auto def = defaults.find(name);
    if (def == defaults.end()) {
      std::vector<std::string> known;
      for (const auto& prm : policy.params) known.push_back(prm.name);
      out.error = where.str() + ": policy `" + file.policy + "` has no param `" + name + "`; " +
                  (known.empty() ? "it has none" : "its params: " + base::join(known, ", "));
      return out;
    }
    const eval::Kind kind = eval::kind_of(value);
    if (def->second != eval::Kind::Null && kind != eval::Kind::Null && kind != def->second) {
      out.error = where.str() + ": param `" + name + "` must be a " + eval::kind_name(def->second) +
                  " like its default, not a " + eval::kind_name(kind);
      return out;
    }
    overrides[file.policy][name] = {value, where};
  }
  const std::set<std::string> only{file.policy};
  const compile::CompileResult compiled = engine_.compile(&only, &overrides, options_);
  if (compiled.diagnostics.has_errors()) {
    for (const auto& d : compiled.diagnostics.sorted()) out.error += base::render(d);
    return out;
  }
  const base::Millis since = c.since.value_or(0), until = c.until.value_or(kTestDefaultUntil);
  eval::FirstSeenState state;
  base::Arena scratch;
  for (const nlohmann::json& v : c.first_seen)
    state.earlier[file.policy].insert(eval::first_seen_key(eval::value_from_json(v, scratch)));
  // The case's data read as check reads documents: projected to what the program reads.
  // A collection given as null is one the source does not serve.
  std::map<std::string, nlohmann::json> served;
  std::vector<std::string> missing;
  for (const auto& [name, docs] : c.data) {
    if (docs.is_null())
      missing.push_back(name);
    else
      served.emplace(name, docs);
  }
  const auto source = memory_source(std::move(served), std::move(missing));
  Evaluation e;
  try {
    e = engine_.evaluate(compiled.program, *source, {{since, until}, &state, {}, nullptr});
  } catch (const SourceError& error) {
    out.error = file.path + ": the case's data: " + error.message;
    return out;
  }
  const eval::EvaluationResult& result = e.result;
  if (!e.not_evaluated.empty()) {
    // Not decided: what its clauses did on data that cannot decide it covers nothing.
    out.not_evaluated = e.not_evaluated.front().second;
    return out;
  }
  for (const eval::PolicyResult& pr : result.policies) {
    for (std::size_t i = 0; i < pr.where_outcomes.size(); ++i) {
      if (pr.policy->clauses[i].kind == eval::CompiledClause::Kind::Where) out.where_outcomes[i] = pr.where_outcomes[i];
    }
  }
  out.problems = result.problems;
  out.alerts = std::move(e.alerts);
  return out;
}

const std::map<std::string, eval::Kind>& CaseRunner::defaults_of(const std::string& policy) {
  auto it = defaults_.find(policy);
  if (it == defaults_.end()) {
    const std::set<std::string> only{policy};
    const check::ParamOverrides none;
    const compile::CompileResult c = engine_.compile(&only, &none);
    std::map<std::string, eval::Kind> kinds;
    if (!c.program.policies.empty()) {
      for (const auto& [name, value] : c.program.policies.front().params) kinds[name] = value.kind;
    }
    it = defaults_.emplace(policy, std::move(kinds)).first;
  }
  return it->second;
}

}  // namespace reddalert::app
