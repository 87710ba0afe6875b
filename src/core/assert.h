// ONECARD_ASSERT: checks for programmer errors. It stays on in release builds and must never be
// reachable from input; expected failures are returned as values (see result.h).
#pragma once

#include <cstdio>
#include <cstdlib>

#define ONECARD_ASSERT(condition)                                                            \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)
