#include "model/projection.hpp"

#include <algorithm>

namespace reddalert::model {

Projection* Projection::field(std::string_view name) {
  auto it = std::lower_bound(fields_.begin(), fields_.end(), name,
                             [](const Field& f, std::string_view n) { return std::string_view(f.name) < n; });
  if (it == fields_.end() || it->name != name)
    it = fields_.insert(it, Field{std::string(name), intern_key(name), std::make_unique<Projection>()});
  return it->child.get();
}

Projection* Projection::items() {
  if (!items_) items_ = std::make_unique<Projection>();
  return items_.get();
}

const Projection::Field* Projection::find(std::string_view name) const {
  const auto it = std::lower_bound(fields_.begin(), fields_.end(), name,
                                   [](const Field& f, std::string_view n) { return std::string_view(f.name) < n; });
  return it == fields_.end() || it->name != name ? nullptr : &*it;
}

std::string Projection::describe() const {
  if (whole_) return "*";
  std::string members;
  for (const Field& f : fields_) {
    if (!members.empty()) members += ", ";
    members += f.name;
    const std::string inner = f.child->describe();
    if (!inner.empty()) members += ": " + inner;
  }
  std::string out;
  if (items_) out = "[" + items_->describe() + "]";
  if (!members.empty()) out += (out.empty() ? "{" : " | {") + members + "}";
  return out;
}

}  // namespace reddalert::model
