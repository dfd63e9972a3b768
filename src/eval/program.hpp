// A compiled program: the evaluation trees of the policies, defs and top-level lets that
// compile/ built, what each policy reads of which collection, and the arena that holds
// their constant values. Built once, then evaluated any number of times, concurrently.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/arena.hpp"
#include "base/source_file.hpp"
#include "eval/node.hpp"
#include "model/projection.hpp"

namespace reddalert::eval {

struct CompiledDef {
  std::string name;
  NodePtr body;
  int frame_size = 0;  // its params are slots 0..n-1
};

struct CompiledLet {
  std::string name;
  NodePtr body;
  int frame_size = 0;
};

struct CompiledClause {
  enum class Kind { For, Let, Where } kind;
  int slot = -1;     // For, Let
  std::string name;  // For, Let: the name bound
  NodePtr expr;
  base::Location location;
};

// A field a policy cannot be decided without (its `requires`): `view.instances` and
// {"metadataOptions"}. When no document of the collection has it, the policy is not
// evaluated: the source does not provide it.
struct RequiredField {
  std::string collection;
  std::vector<std::string> fields;  // followed through lists
  std::string text;                 // as written
};

struct CompiledPolicy {
  std::string name;
  std::string title;
  std::string severity;
  std::string description;
  std::string owner;
  std::vector<std::string> tags;
  std::string help_url;                                      // empty: none
  std::vector<std::string> references;                       // http(s) URLs
  std::map<std::string, std::vector<std::string>> controls;  // framework id -> control ids
  std::vector<RequiredField> required;                       // `requires`
  int revision = 1;
  base::Location location;
  std::string fingerprint;  // "sha256:..." of the policy's normalised text
  std::map<std::string, Value> params;
  std::vector<CompiledClause> clauses;
  NodePtr alert;
  NodePtr message;
  NodePtr details;
  NodePtr key;  // null: the message is the finding's key
  int frame_size = 0;
};

// A collection the program reads: which views, and which parts of its documents.
struct CollectionUse {
  std::string name;
  bool current = false;
  bool changed = false;
  bool previous = false;
  // What the policies can read of its documents; null: whole documents.
  std::unique_ptr<model::Projection> projection;
};

struct Program {
  // Values of constants, params and folded nodes; behind a pointer so that moving the
  // program keeps them where the nodes point.
  std::unique_ptr<base::Arena> constants = std::make_unique<base::Arena>();
  std::vector<std::shared_ptr<const void>> retained;  // what constants point to besides (compiled regexes)
  std::vector<CompiledPolicy> policies;
  std::vector<CompiledDef> defs;  // sized once: nodes point at their elements
  std::vector<CompiledLet> lets;
  std::vector<CollectionUse> collections;  // by name; CollectionNode holds the index
  std::size_t indexes = 0;                 // join indexes the planner made (JoinNode::index)

  const CollectionUse* collection(std::string_view name) const;
};

}  // namespace reddalert::eval
