/* tests/matrix/impl.c - the implementation TU for the declarations-only
   variant of `make compile-matrix` (smoke.c built with SMOKE_DECL_ONLY). */
#define DCONN_IMPLEMENTATION
#include "../../dconn.h"
