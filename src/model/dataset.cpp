#include "model/dataset.hpp"

namespace reddalert::model {

void compact(Json& j) {
  if (j.is_object()) {
    auto& members = j.get_ref<Json::object_t&>();
    members.shrink_to_fit();
    for (auto& [key, value] : members) compact(value);
  } else if (j.is_array()) {
    auto& elements = j.get_ref<Json::array_t&>();
    elements.shrink_to_fit();
    for (Json& e : elements) compact(e);
  }
}

}  // namespace reddalert::model
