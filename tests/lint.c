/* tests/lint.c - the translation unit `make lint` (tests/lint.mk) runs
   cppcheck and clang-tidy over: the whole implementation of dconn.h and of
   the example drivers, as a program that uses the library would
   compile them. It is never built or run. */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#define DCONN_CSV_IMPLEMENTATION
#include "../examples/drivers/dconn_csv.h"
#define DCONN_POSTGRES_IMPLEMENTATION
#include "../examples/drivers/dconn_postgres.h"
#define DCONN_MYSQL_IMPLEMENTATION
#include "../examples/drivers/dconn_mysql.h"
