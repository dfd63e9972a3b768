// What a checked policy (or one expression of it) depends on: the collections it reads,
// and whether its result depends on the window or the clock. Followed through the defs,
// top-level lets and constants it names, and through the policy's own `let`s. The run
// uses it to tell which policies a missing collection leaves unevaluated and whose
// alerts can resolve; lint uses it to find messages that change with the clock.
#pragma once

#include <set>
#include <string>

#include "check/check.hpp"

namespace reddalert::check {

struct Uses {
  std::set<std::string> collections;  // current or changed, by full name
  bool changed = false;               // reads a `changed` collection
  bool window = false;                // previous(), first_seen() or `since`
  bool clock = false;                 // `now` or age()

  // A policy whose findings describe the data as it is at the window's end, not a change
  // inside the window: when one of its alerts stops firing, the problem was fixed.
  bool condition() const { return !changed && !window; }
};

// Of every clause and output of `policy`.
Uses uses_of(const CheckedProgram& program, const ast::Policy& policy);
// Of one expression of `policy` (its `message`, say), through the policy's `let`s it names.
Uses uses_of(const CheckedProgram& program, const ast::Policy& policy, const ast::Expr& expr);

}  // namespace reddalert::check
