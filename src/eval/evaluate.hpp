// The evaluation tree and its entry point. compile/ builds a Program once; evaluate()
// runs it against a DataSet and returns findings. Pure: same program, data, window and
// state give the same findings.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ast/tree_dump.hpp"
#include "base/source_file.hpp"
#include "base/time.hpp"
#include "eval/value.hpp"
#include "model/dataset.hpp"

namespace reddalert::eval {

// A run-time problem on real data (type mismatch, invalid CIDR): aborts the evaluation
// of one binding, never the run.
struct RuntimeProblem {
  base::Location location;
  std::string message;
};

struct Frame {
  std::vector<Value> slots;
};
using FramePtr = std::shared_ptr<Frame>;

struct Program;
struct CompiledPolicy;
class Node;

// Memory of first_seen() per policy: values recorded by earlier runs, and the values
// asked about in this run (recorded when the run commits). Values are kept as
// first_seen_key() text.
struct FirstSeenState {
  std::map<std::string, std::set<std::string>> earlier;  // policy -> keys
  std::map<std::string, std::set<std::string>> asked;
};

// How first_seen() remembers a value: a string as it is (invalid UTF-8 bytes as U+FFFD),
// anything else as compact JSON.
std::string first_seen_key(const Value& v);

struct RunContext {
  const Program& program;
  const model::DataSet& data;
  base::Millis since = 0;
  base::Millis until = 0;
  FirstSeenState* state = nullptr;         // may be null: no memory
  std::vector<std::optional<Value>> lets;  // top-level lets, computed lazily
  std::vector<bool> lets_in_progress;      // cycle guard for the lazy lets
  bool constant_only = false;              // compile-time evaluation: reading data or the window is an error
  std::map<std::string, Value, std::less<>> collections;  // "changed aws.X" / "aws.X" -> list of borrowed documents
};

struct Context {
  RunContext& run;
  FramePtr frame;
  const CompiledPolicy* policy;  // null while computing a top-level let
};

struct Closure {
  const Node* body;
  int param_slot;
  FramePtr frame;
};

class Node {
 public:
  explicit Node(base::Location loc) : loc_(std::move(loc)) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  virtual Value eval(Context& ctx) const = 0;
  virtual ast::TreeDump dump() const = 0;
  // The constant value of this node, when it has one (literals after folding).
  virtual const Value* constant() const { return nullptr; }
  const base::Location& location() const { return loc_; }

  // Raises a RuntimeProblem located at this node.
  [[noreturn]] void fail(std::string message) const;

 protected:
  ast::TreeDump tree(std::string kind, std::string label = {}) const;

 private:
  base::Location loc_;
};
using NodePtr = std::unique_ptr<Node>;

Value call_closure(Context& ctx, const Value& fn, const Value& arg, const base::Location& where);

struct CompiledDef {
  std::string name;
  NodePtr body;
  int frame_size = 0;
};

struct CompiledLet {
  std::string name;
  NodePtr body;
  int frame_size = 0;
};

struct CompiledClause {
  enum class Kind { For, Let, Where } kind;
  int slot = -1;
  NodePtr expr;
  base::Location location;
};

struct CompiledPolicy {
  std::string name;
  std::string title;
  std::string severity;
  std::string description;
  std::string owner;
  std::vector<std::string> tags;
  int revision = 1;
  base::Location location;
  std::string fingerprint;  // "sha256:..." of the policy's normalised text
  std::map<std::string, Value> params;
  std::vector<CompiledClause> clauses;
  NodePtr alert;
  NodePtr message;
  NodePtr details;
  int frame_size = 0;
};

// Which views of a collection a program reads.
struct CollectionNeeds {
  bool current = false;
  bool changed = false;
  bool previous = false;
};

struct Program {
  std::vector<CompiledPolicy> policies;
  std::vector<CompiledDef> defs;
  std::vector<CompiledLet> lets;
  std::map<std::string, CollectionNeeds> collections;
};

struct Finding {
  std::string alert_id;
  std::string message;
  Json details;  // null when the policy has no details
  std::vector<std::string> resources;
  std::string collection;
};

struct Problem {
  std::string policy;
  base::Location location;
  std::string resource;
  std::string message;
  std::size_t count = 0;
};

struct PolicyResult {
  const CompiledPolicy* policy = nullptr;
  std::vector<Finding> findings;
  std::size_t bindings = 0;  // bindings that reached the end of the pipeline
  // Per clause: how often a `where` was false ([0]) and true ([1]); zero for other clauses.
  std::vector<std::array<std::size_t, 2>> where_outcomes;
};

struct EvaluationResult {
  std::vector<PolicyResult> policies;
  std::vector<Problem> problems;  // one per policy and source location
};

EvaluationResult evaluate(const Program& program, const model::DataSet& data, base::Millis since, base::Millis until,
                          FirstSeenState* state);

}  // namespace reddalert::eval
