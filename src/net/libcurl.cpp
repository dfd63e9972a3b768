#include "net/libcurl.hpp"

#include <dlfcn.h>

#include <string>

#include "net/http_client.hpp"

namespace reddalert::net {

namespace {

// The soname of libcurl since 7.16, Debian's package libcurl4 (the headers the build
// compiles against are libcurl4-openssl-dev's).
constexpr const char* kLibrary = "libcurl.so.4";

template <typename Function>
void bind(void* library, Function& f, const char* name) {
  void* symbol = dlsym(library, name);
  if (symbol == nullptr) throw HttpError{std::string(kLibrary) + " has no " + name};
  f = reinterpret_cast<Function>(symbol);
}

Libcurl load() {
  void* library = dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    throw HttpError{std::string("cannot load ") + kLibrary +
                    " (Debian's package libcurl4): " + (why != nullptr ? why : "not found")};
  }
  Libcurl c{};
  bind(library, c.easy_init, "curl_easy_init");
  bind(library, c.easy_setopt, "curl_easy_setopt");
  bind(library, c.easy_perform, "curl_easy_perform");
  bind(library, c.easy_getinfo, "curl_easy_getinfo");
  bind(library, c.easy_cleanup, "curl_easy_cleanup");
  bind(library, c.easy_strerror, "curl_easy_strerror");
  bind(library, c.slist_append, "curl_slist_append");
  bind(library, c.slist_free_all, "curl_slist_free_all");
  CURLcode (*global_init)(long) = nullptr;
  bind(library, global_init, "curl_global_init");
  if (const CURLcode code = global_init(CURL_GLOBAL_DEFAULT); code != CURLE_OK)
    throw HttpError{std::string("cannot start libcurl: ") + c.easy_strerror(code)};
  return c;  // the library stays loaded for the life of the process
}

}  // namespace

const Libcurl& libcurl() {
  // A failed load throws out of the initialisation, and the next call tries again.
  static const Libcurl loaded = load();
  return loaded;
}

}  // namespace reddalert::net
