// How `explain` shows the traced bindings of a policy (eval/trace.hpp): as text, with the
// values of each `where`'s sub-expressions under it (power-assert style), or as JSON with
// every value in full. Pure: it writes to the stream it is given and reads nothing else.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "edda/snapshot.hpp"
#include "eval/evaluate.hpp"
#include "eval/trace.hpp"

namespace reddalert::app {

struct PolicyTrace {
  const eval::CompiledPolicy* policy = nullptr;
  edda::Window window;
  std::string id;                            // --id; empty: every binding
  std::vector<eval::TraceBinding> bindings;  // those kept
  std::size_t total = 0;                     // every binding the policy had
  std::size_t matched = 0;                   // those that matched `id` (all when it is empty)
  std::vector<std::string> why_none;         // `id` matched nothing: why, a sentence each
  std::string not_evaluated;                 // the source lacks a collection it reads: why
  std::vector<eval::Problem> problems;       // the run's, those of the first `for`'s source included
};

// Text: values past `width` characters are cut with "…".
inline constexpr std::size_t kTraceValueWidth = 60;
void write_trace_text(const PolicyTrace& trace, std::ostream& out, std::size_t width = kTraceValueWidth);
// {"policy": ..., "bindings": [{"outcome", "resources", "steps": [...], ...}], ...}: values
// as JSON (in full when the trace kept them whole).
nlohmann::json trace_json(const PolicyTrace& trace);

// A traced value's text as JSON; a value cut to a width is not JSON, and stays a string.
nlohmann::json trace_value_json(const std::string& text);

// The source lines of one `where` (from `first` to `last`, shown from `column` on) with
// `parts` written under them: a row of stems, then each value on the first row where it
// fits, right to left. Exposed for its unit test.
std::vector<std::string> power_assert(const base::SourceFile& file, std::uint32_t first, std::uint32_t last,
                                      std::uint32_t column, const std::vector<eval::TracedValue>& parts,
                                      std::size_t width);

}  // namespace reddalert::app
