/* tests/matrix/drivers.c - the shipped drivers' implementations, with
   dconn.h's, in one translation unit: make compile-matrix compiles it in
   every language mode with -Werror (the PostgreSQL and MySQL drivers when
   their client headers are installed: MATRIX_HAVE_PQ, MATRIX_HAVE_MYSQL). */
#define DCONN_IMPLEMENTATION
#include "../../dconn.h"
#define DCONN_CSV_IMPLEMENTATION
#include "../../examples/drivers/dconn_csv.h"
#ifdef MATRIX_HAVE_PQ
#define DCONN_POSTGRES_IMPLEMENTATION
#include "../../examples/drivers/dconn_postgres.h"
#endif
#ifdef MATRIX_HAVE_MYSQL
#define DCONN_MYSQL_IMPLEMENTATION
#include "../../examples/drivers/dconn_mysql.h"
#endif

int main(void) {
    dconn_error err;
    dconn_ctx *ctx = dconn_open(NULL, &err);
    int bad = !ctx || dconn_csv_register(ctx, &err) != DCONN_OK;
#ifdef MATRIX_HAVE_PQ
    bad |= dconn_postgres_register(ctx, &err) != DCONN_OK;
#endif
#ifdef MATRIX_HAVE_MYSQL
    bad |= dconn_mysql_register(ctx, &err) != DCONN_OK;
#endif
    dconn_close(ctx);
    return bad;
}
