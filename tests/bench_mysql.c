/* bench-mysql: `make bench-mysql` (starts a throwaway MariaDB server, as
   make test-mysql does). Prints "bench: NAME VALUE UNIT" lines. Both
   sides run in this process against the same server over its Unix
   socket, in slices that take turns, pinned with the server's threads to
   one CPU (see bench_client.h); the figures are medians of 7 rounds.

   Table t(id int primary key, name varchar(40), score double, note
   varchar(60)), 10,000 rows. The raw side is Connector/C as a careful C
   programmer writes it: statements prepared once (mysql_stmt_prepare),
   parameters and results bound once, executed and fetched row by row, every
   value read from the bound buffers (texts copied into a row struct for the
   point query, read in place for the scan). dconn's side reads the same
   values through its getters or column views.

   point      SELECT id, name, score, note FROM t WHERE id = ?, 2,000 ids,
              dconn_query with ttl "0" (never cached).
   scan       the whole table, 10k rows, 20 times a round.
   scan_10k_by_rows  the same as a stream read by rows (dconn_stream_row:
              each value where the connector received it), against the
              same raw scan.
   cache_hit  the point query answered from dconn's cache, against the raw
              point query.
   insert_100k  100,000 inserts into u (same columns as t) in one
              transaction. raw: MariaDB's array binding by hand: START
              TRANSACTION, the four columns' arrays (ids, name pointers and
              lengths, scores, note pointers and lengths) filled, one
              mysql_stmt_execute of all rows (one bulk request), COMMIT.
              dconn: one dconn_exec_many of every row (bench_client.h's
              dconn_bulk_insert); insert_100k_chunked: a session and one a
              1,000 rows. Both use the same texts, made once beforehand. */
#define _POSIX_C_SOURCE 200809L
#define _GNU_SOURCE       /* syscall(), sched_setaffinity() */
#define DCONN_IMPLEMENTATION
#include "../dconn.h"
#define DCONN_MYSQL_IMPLEMENTATION
#include "../examples/drivers/dconn_mysql.h"
#include "bench_client.h"

enum { POINTS = 2000, SCANS = 20 };
static const char point_sql[] = "SELECT id, name, score, note FROM t WHERE id = ?";
static const char scan_sql[] = "SELECT id, name, score, note FROM t";

/* one statement's bound result row */
typedef struct raw_row {
    long long id;
    double score;
    char name[64], note[64];
    unsigned long name_len, note_len;
    my_bool nulls[4];
    MYSQL_BIND out[4];
} raw_row;

struct bench {
    MYSQL *my;
    MYSQL_STMT *point, *scan, *insert;
    long long param;
    MYSQL_BIND in;
    raw_row prow, srow;
    dconn_conn *c;
    double sum;                   /* what was read, so that neither side can skip it */
    long rows;
};

static void bind_row(raw_row *r, MYSQL_STMT *st) {
    memset(r->out, 0, sizeof r->out);
    r->out[0].buffer_type = MYSQL_TYPE_LONGLONG; r->out[0].buffer = &r->id;
    r->out[1].buffer_type = MYSQL_TYPE_STRING; r->out[1].buffer = r->name; r->out[1].buffer_length = sizeof r->name; r->out[1].length = &r->name_len;
    r->out[2].buffer_type = MYSQL_TYPE_DOUBLE; r->out[2].buffer = &r->score;
    r->out[3].buffer_type = MYSQL_TYPE_STRING; r->out[3].buffer = r->note; r->out[3].buffer_length = sizeof r->note; r->out[3].length = &r->note_len;
    r->out[0].is_null = &r->nulls[0]; r->out[1].is_null = &r->nulls[1]; r->out[2].is_null = &r->nulls[2]; r->out[3].is_null = &r->nulls[3];
    if (mysql_stmt_bind_result(st, r->out)) die("bind_result", mysql_stmt_error(st));
}

static MYSQL_STMT *raw_prepare(MYSQL *my, const char *sql) {
    MYSQL_STMT *st = mysql_stmt_init(my);
    if (!st || mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql))) die("prepare", mysql_error(my));
    return st;
}

static void raw_point(bench *b, int from, int to) {
    int i;
    for (i = from; i < to; i++) {
        point_row row;
        b->param = point_id(i);
        if (mysql_stmt_execute(b->point)) die("raw point", mysql_stmt_error(b->point));
        if (mysql_stmt_fetch(b->point) != 0) die("raw point", "no row");
        row.id = b->prow.id;
        copy_text(row.name, sizeof row.name, b->prow.name, b->prow.name_len);
        row.score = b->prow.score;
        copy_text(row.note, sizeof row.note, b->prow.note, b->prow.note_len);
        if (mysql_stmt_fetch(b->point) != MYSQL_NO_DATA) die("raw point", "more than one row");
        b->sum += row.score + (double)row.id + row.name[0] + row.note[0];
    }
}

static void dconn_point(bench *b, int from, int to) { dconn_points(b->c, point_sql, "0", from, to, &b->sum); }
static void dconn_hit(bench *b, int from, int to) { dconn_points(b->c, point_sql, "forever", from, to, &b->sum); }

/* the scan reads each value where it lies: numbers as bound, texts by pointer, length and first byte */
static void raw_scan(bench *b, int from, int to) {
    int k, rc;
    for (k = from; k < to; k++) {
        if (mysql_stmt_execute(b->scan)) die("raw scan", mysql_stmt_error(b->scan));
        while ((rc = mysql_stmt_fetch(b->scan)) == 0) {
            b->sum += (double)b->srow.id + b->srow.score + b->srow.name[0] + b->srow.note[0] + (double)b->srow.name_len + (double)b->srow.note_len;
            b->rows++;
        }
        if (rc != MYSQL_NO_DATA) die("raw scan", mysql_stmt_error(b->scan));
    }
}

static void dconn_scan(bench *b, int from, int to) { dconn_scans(b->c, scan_sql, to - from, &b->sum, &b->rows); }

/* the scan as a stream read by rows (dconn_stream_row): values where the connector received them, as the raw side reads its bound buffers */
static void dconn_scan_rows(bench *b, int from, int to) {
    int k;
    for (k = from; k < to; k++) {
        dconn_error err;
        const dconn_value *row;
        dconn_stream *s = dconn_stream_query(b->c, scan_sql, NULL, 0, NULL, &err);
        if (!s) die("dconn stream", err.message);
        while ((row = dconn_stream_row(s, &err)) != NULL) {
            b->sum += (double)row[0].i + row[2].d + ((const char *)row[1].p)[0] + ((const char *)row[3].p)[0] + (double)row[1].n + (double)row[3].n;
            b->rows++;
        }
        if (dconn_stream_close(s) != DCONN_OK) die("dconn stream", err.message);
    }
}

static void raw_sql(MYSQL *my, const char *sql) {
    if (mysql_query(my, sql)) die(sql, mysql_error(my));
}

static const char insert_sql[] = "INSERT INTO u (id, name, score, note) VALUES (?, ?, ?, ?)";

static void raw_bulk(bench *b, int from, int to) {
    static long long *ids;
    static double *scores;
    static const char **names, **notes;
    static unsigned long *name_lens, *note_lens;
    unsigned int n = BULK;
    MYSQL_BIND in[4];
    int i;
    (void)from; (void)to;
    if (!ids) {
        ids = (long long *)malloc(BULK * sizeof *ids);
        scores = (double *)malloc(BULK * sizeof *scores);
        names = (const char **)malloc(BULK * sizeof *names);
        notes = (const char **)malloc(BULK * sizeof *notes);
        name_lens = (unsigned long *)malloc(BULK * sizeof *name_lens);
        note_lens = (unsigned long *)malloc(BULK * sizeof *note_lens);
        if (!ids || !scores || !names || !notes || !name_lens || !note_lens) die("raw bulk", "out of memory");
    }
    for (i = 0; i < BULK; i++) {
        ids[i] = i;
        names[i] = bulk_name[i];
        name_lens[i] = (unsigned long)strlen(bulk_name[i]);
        scores[i] = i * 0.25;
        notes[i] = bulk_note[i];
        note_lens[i] = (unsigned long)strlen(bulk_note[i]);
    }
    memset(in, 0, sizeof in);
    in[0].buffer_type = MYSQL_TYPE_LONGLONG; in[0].buffer = ids;
    in[1].buffer_type = MYSQL_TYPE_STRING; in[1].buffer = names; in[1].length = name_lens;
    in[2].buffer_type = MYSQL_TYPE_DOUBLE; in[2].buffer = scores;
    in[3].buffer_type = MYSQL_TYPE_STRING; in[3].buffer = notes; in[3].length = note_lens;
    raw_sql(b->my, "START TRANSACTION");
    if (mysql_stmt_attr_set(b->insert, STMT_ATTR_ARRAY_SIZE, &n) || mysql_stmt_bind_param(b->insert, in) || mysql_stmt_execute(b->insert))
        die("raw bulk", mysql_stmt_error(b->insert));
    if (mysql_stmt_affected_rows(b->insert) != BULK) die("raw bulk", "rows missing");
    raw_sql(b->my, "COMMIT");
}

static void dconn_bulk(bench *b, int from, int to) { (void)from; (void)to; dconn_bulk_insert(b->c, insert_sql, BULK); }
static void dconn_bulk_chunked(bench *b, int from, int to) { (void)from; (void)to; dconn_bulk_insert(b->c, insert_sql, 1000); }
static void truncate_u(bench *b, int from, int to) { (void)from; (void)to; raw_sql(b->my, "TRUNCATE u"); }

int main(int argc, char **argv) {
    const char *sock = getenv("DCONN_TEST_MYSQL_SOCKET"), *dir = getenv("DCONN_TEST_MYSQL_DIR");
    dconn_options o;
    dconn_connect_options co;
    dconn_error err;
    dconn_ctx *ctx;
    bench b;
    char settings[512], path[512];
    long pid = 0;
    FILE *f;
    if (!sock || !dir) die("setup", "run through tests/mysql.sh (make bench-mysql), which starts the server");
    memset(&b, 0, sizeof b);
    b.my = mysql_init(NULL);
    if (!mysql_real_connect(b.my, "localhost", "root", NULL, NULL, 0, sock, 0)) die("connect", mysql_error(b.my));
    raw_sql(b.my, "CREATE DATABASE IF NOT EXISTS bench");
    raw_sql(b.my, "USE bench");
    raw_sql(b.my, "DROP TABLE IF EXISTS t");
    raw_sql(b.my, "CREATE TABLE t (id int PRIMARY KEY, name varchar(40), score double, note varchar(60))");
    raw_sql(b.my, "INSERT INTO t SELECT seq, CONCAT('name-', seq), seq * 0.5, REPEAT('n', 10 + seq % 40) FROM seq_1_to_10000");
    raw_sql(b.my, "DROP TABLE IF EXISTS u");
    raw_sql(b.my, "CREATE TABLE u (id int PRIMARY KEY, name varchar(40), score double, note varchar(60))");
    b.insert = raw_prepare(b.my, insert_sql);
    b.point = raw_prepare(b.my, point_sql);
    b.scan = raw_prepare(b.my, scan_sql);
    b.in.buffer_type = MYSQL_TYPE_LONGLONG;
    b.in.buffer = &b.param;
    if (mysql_stmt_bind_param(b.point, &b.in)) die("bind_param", mysql_stmt_error(b.point));
    bind_row(&b.prow, b.point);
    bind_row(&b.srow, b.scan);

    memset(&o, 0, sizeof o);
    o.secrets_path = "";
    o.reload_interval = "never";
    ctx = dconn_open(&o, &err);
    if (!ctx || dconn_mysql_register(ctx, &err)) die("dconn_open", err.message);
    memset(&co, 0, sizeof co);
    snprintf(settings, sizeof settings, "username = \"root\"\nhost = \"localhost\"\ndatabase = \"bench\"\nquery = { unix_socket = \"%s\" }", sock);
    co.settings = settings;
    b.c = dconn_connect(ctx, "bench", "mysql", &co, &err);
    if (!b.c) die("dconn_connect", err.message);
    dconn_point(&b, 0, 1);
    snprintf(path, sizeof path, "%s/mariadbd.pid", dir);
    if ((f = fopen(path, "r")) != NULL) {
        if (fscanf(f, "%ld", &pid) != 1) pid = 0;
        fclose(f);
    }
    pin_to_one_cpu(&pid, pid > 0);

    if (wanted(argc, argv, "point")) compare("point", &b, raw_point, dconn_point, NULL, ROUNDS, POINTS, 50, 1e6, "us");
    if (wanted(argc, argv, "scan")) compare("scan_10k", &b, raw_scan, dconn_scan, NULL, ROUNDS, SCANS, 1, 1e3, "ms");
    if (wanted(argc, argv, "scan_rows")) compare("scan_10k_by_rows", &b, raw_scan, dconn_scan_rows, NULL, ROUNDS, SCANS, 1, 1e3, "ms");
    if (wanted(argc, argv, "cache_hit")) {
        dconn_hit(&b, 0, POINTS);   /* fills the cache */
        compare("cache_hit", &b, raw_point, dconn_hit, NULL, ROUNDS, POINTS, 50, 1e6, "us");
    }
    if (wanted(argc, argv, "bulk")) {
        bulk_texts();
        compare("insert_100k", &b, raw_bulk, dconn_bulk, truncate_u, ROUNDS, 1, 1, 1e3, "ms");
        compare("insert_100k_chunked", &b, raw_bulk, dconn_bulk_chunked, truncate_u, ROUNDS, 1, 1, 1e3, "ms");
    }
    if (argc == 1 && b.rows != (long)(ROUNDS + 1) * 4 * SCANS * TABLE_ROWS) die("rows", "the two sides read different rows");
    raw_sql(b.my, "DROP DATABASE bench");
    mysql_stmt_close(b.point);
    mysql_stmt_close(b.scan);
    mysql_stmt_close(b.insert);
    mysql_close(b.my);
    dconn_release(b.c);
    dconn_close(ctx);
    return 0;
}
