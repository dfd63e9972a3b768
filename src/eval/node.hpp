// A node of the evaluation tree that compile/ builds once per program. Each keeps the
// location of the source it came from; eval() never throws for a problem in the data: it
// returns an error value (context.hpp) that flows up the tree.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/source_file.hpp"
#include "base/tree_dump.hpp"
#include "eval/value.hpp"

namespace reddalert::eval {

struct Context;

class Node {
 public:
  explicit Node(base::Location loc) : loc_(std::move(loc)) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  virtual Value eval(Context& ctx) const = 0;
  virtual base::TreeDump dump() const = 0;
  // The constant value of this node, when it has one (literals, folded expressions).
  virtual const Value* constant() const { return nullptr; }
  const base::Location& location() const { return loc_; }

  // A run-time problem located at this node, as a value.
  Value error(Context& ctx, std::string_view message) const;

 protected:
  base::TreeDump tree(std::string kind, std::string label = {}) const;

 private:
  base::Location loc_;
};
using NodePtr = std::unique_ptr<Node>;

}  // namespace reddalert::eval
