// Baseline for bench/run.sh: read and parse every collection file of a snapshot into
// the document type `reddalert check` uses (model::Json: nlohmann::basic_json with
// FlatMap objects, model::parse_document) the way it does (whole file into memory, then parse; every
// document kept until the end, not freed at exit), and nothing else.
// Prints the number of top-level documents.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

#include "model/dataset.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: json_parse_only SNAPSHOT_DIR\n";
    return 2;
  }
  auto kept = std::make_unique<std::vector<reddalert::model::Json>>();
  std::size_t documents = 0;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "manifest.json") continue;
    std::ifstream in(entry.path(), std::ios::binary | std::ios::ate);
    std::string text(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    kept->push_back(reddalert::model::parse_document(text));
    documents += kept->back().size();
  }
  std::cout << documents << " documents\n";
  (void)kept.release();  // like check: the kernel frees the documents at exit
  return 0;
}
