#include "model/dataset.hpp"

#include <algorithm>

namespace reddalert::model {

namespace {

// nlohmann's SAX events to a document: each object and array is collected in a buffer of
// its nesting depth (reused from one object to the next) and built once, at its exact
// size, with its keys sorted. No object grows member by member, no spare capacity is left,
// and nothing is reallocated afterwards.
class DocumentBuilder {
 public:
  Json result;

  bool null() { return put(Json(nullptr)); }
  bool boolean(bool v) { return put(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return put(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return put(Json(v)); }
  bool number_float(Json::number_float_t v, const Json::string_t&) { return put(Json(v)); }
  bool string(Json::string_t& v) { return put(Json(std::move(v))); }
  bool binary(Json::binary_t& v) { return put(Json::binary(std::move(v))); }  // not in JSON text
  bool start_object(std::size_t) { return open(true); }
  bool key(Json::string_t& k) {
    frames_[depth_ - 1].key = std::move(k);
    return true;
  }
  bool start_array(std::size_t) { return open(false); }

  bool end_object() {
    auto& members = frames_[depth_ - 1].members;
    const auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
    if (!std::is_sorted(members.begin(), members.end(), by_key))
      std::stable_sort(members.begin(), members.end(), by_key);
    // A key given twice keeps its last value, as nlohmann's own parser does.
    const auto superseded = [&](std::size_t i) {
      return i + 1 < members.size() && members[i + 1].first == members[i].first;
    };
    std::size_t size = 0;
    for (std::size_t i = 0; i < members.size(); ++i) size += superseded(i) ? 0 : 1;
    Json::object_t object;
    object.reserve(size);
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (!superseded(i)) object.push_back(std::move(members[i]));
    }
    members.clear();
    --depth_;
    return put(Json(std::move(object)));
  }

  bool end_array() {
    auto& elements = frames_[depth_ - 1].elements;
    Json::array_t array(std::make_move_iterator(elements.begin()), std::make_move_iterator(elements.end()));
    elements.clear();
    --depth_;
    return put(Json(std::move(array)));
  }

  // Throws what nlohmann's own parser throws (Json::parse_error and friends).
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& e) {
    throw e;
  }

 private:
  struct Frame {
    bool object = false;
    std::vector<std::pair<std::string, Json>> members;
    std::vector<Json> elements;
    std::string key;
  };

  bool open(bool object) {
    if (frames_.size() == depth_) frames_.emplace_back();
    frames_[depth_++].object = object;
    return true;
  }

  bool put(Json&& v) {
    if (depth_ == 0) {
      result = std::move(v);
      return true;
    }
    Frame& f = frames_[depth_ - 1];
    if (f.object)
      f.members.emplace_back(std::move(f.key), std::move(v));
    else
      f.elements.push_back(std::move(v));
    return true;
  }

  std::vector<Frame> frames_;
  std::size_t depth_ = 0;
};

}  // namespace

Json parse_document(std::string_view text) {
  DocumentBuilder builder;
  Json::sax_parse(text, &builder);
  return std::move(builder.result);
}

}  // namespace reddalert::model
