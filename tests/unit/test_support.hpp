// Helpers shared by the unit tests: evaluate one expression, lint a text, run a policy
// over in-memory collections.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "compile/compile.hpp"

namespace reddalert::testing {

// The value of `expression` as compact JSON, or "error: <message>" for a run-time
// problem, or "lint: <rendered diagnostics>" when it does not check.
std::string eval_expression(const std::string& expression);

// Every diagnostic of `text` (as file `path`), rendered and sorted, as `lint` prints them.
std::string lint_text(const std::string& path, const std::string& text);

// Runs the policies of `text` over `collections` (name -> array of documents or
// envelopes) and returns {"alerts": [...], "problems": [...]} without timing fields.
// `options` say whether joins use indexes and documents are projected: the answers must not
// depend on them.
nlohmann::json run_policies(const std::string& path, const std::string& text,
                            const std::map<std::string, nlohmann::json>& collections, long long since, long long until,
                            const compile::CompileOptions& options = {});

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);

}  // namespace reddalert::testing
