// Where documents come from during evaluation: the interface between the evaluator and
// the data sources (a snapshot directory, or a live EDDA over HTTP).
#pragma once

#include <span>
#include <string_view>

#include "model/doc.hpp"

namespace reddalert::model {

// Identity of a resource document: its EDDA record id and collection. Owned by the data
// set; stable for its life.
struct ResourceRef {
  std::string_view collection;
  std::string_view id;
};

class DataSet {
 public:
  virtual ~DataSet() = default;
  // Documents current at the end of the window.
  virtual std::span<const Doc> current(std::string_view collection) const = 0;
  // Newest revision of each resource whose revision started inside the window.
  virtual std::span<const Doc> changed(std::string_view collection) const = 0;
  // The revision of the resource `document` is a revision of, current at the start of the
  // window; null when there was none or `document` is no resource document.
  virtual const Doc* previous(const Doc& document) const = 0;
  // The identity of a document served by current() or changed(), or null for other values.
  virtual const ResourceRef* resource(const Doc& document) const = 0;
};

}  // namespace reddalert::model
