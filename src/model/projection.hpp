// The parts of a collection's documents a program can read. compile/ computes one per
// collection from the field paths its policies use; the reader keeps those parts and drops
// the rest before anything is allocated for them. A node marked whole is kept entirely: a
// document used as a value (compared, printed, passed to a builtin that reads all of it).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/keys.hpp"

namespace reddalert::model {

class Projection {
 public:
  // Objects keep the members listed here, each projected by its child.
  Projection* field(std::string_view name);
  // Arrays keep every element, each projected by this child. `iterated`: the node is also
  // iterated as a map (a `for` over it), so an object found here is kept whole.
  Projection* items();
  void set_iterated() { iterated_ = true; }
  void set_whole() { whole_ = true; }

  bool whole() const { return whole_; }
  bool iterated() const { return iterated_; }
  struct Field {
    std::string name;
    Key key;
    std::unique_ptr<Projection> child;
  };
  // The member `name` keeps, or null when the member is dropped.
  const Field* find(std::string_view name) const;
  // The element projection, or null when arrays here keep no element.
  const Projection* element() const { return items_.get(); }
  const std::vector<Field>& fields() const { return fields_; }

  // "{groupId, ipPermissions: [{fromPort, ...}]}": members in name order, "[...]" for the
  // elements of an array, "*" for whole; empty for a scalar.
  std::string describe() const;

 private:
  bool whole_ = false;
  bool iterated_ = false;
  std::vector<Field> fields_;  // sorted by name
  std::unique_ptr<Projection> items_;
};

}  // namespace reddalert::model
