// libcurl, loaded with dlopen() on the first request rather than linked: its 28 libraries
// (TLS, Kerberos, LDAP, SSH, ...) cost every process about 5 ms to load, eight times the rest
// of reddalert's start-up, and most runs (lint, test, check on a snapshot) never use it.
// The functions net/ calls, nothing more.
#pragma once

#include <curl/curl.h>

namespace reddalert::net {

struct Libcurl {
  CURL* (*easy_init)();
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  void (*easy_cleanup)(CURL*);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
};

// Loads libcurl and starts it (curl_global_init) once per process; throws HttpError when it
// cannot, naming the library and the cause.
const Libcurl& libcurl();

}  // namespace reddalert::net
