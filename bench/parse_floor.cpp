// The parse floor of bench/compare.sh: every collection file of a snapshot read and
// parsed by simdjson (Debian's libsimdjson-dev, the DOM API) and nothing else, the file
// freed before the next. What `reddalert check` is measured against.
// Prints the number of top-level documents.
#include <simdjson.h>

#include <filesystem>
#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: parse_floor SNAPSHOT_DIR\n";
    return 2;
  }
  simdjson::dom::parser parser;
  std::size_t documents = 0;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "manifest.json") continue;
    simdjson::padded_string text;
    if (auto e = simdjson::padded_string::load(entry.path().string()).get(text)) {
      std::cerr << entry.path().string() << ": " << simdjson::error_message(e) << '\n';
      return 1;
    }
    simdjson::dom::array docs;
    if (auto e = parser.parse(text).get_array().get(docs)) {
      std::cerr << entry.path().string() << ": " << simdjson::error_message(e) << '\n';
      return 1;
    }
    documents += docs.size();
  }
  std::cout << documents << " documents\n";
  return 0;
}
