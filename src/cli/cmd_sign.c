/*
 * cmd_sign.c — signed reports:
 *   key new -o NAME [--signer WHO]     NAME.key (secret, 0600) and NAME.pub
 *   sign FILE --key NAME.key           FILE.minisig, minisign's format
 *   verify FILE --pub NAME.pub [--db DB]
 * The passphrase is the first line of standard input (at a terminal: asked
 * without echo; twice for a new key). Formats and checks: minisign.h; what
 * verify says about the data: docs/report.md, "Signed reports".
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "cli.h"
#include "mem.h"
#include "minisign.h"
#include "report.h"
#include "store.h"

#define PASS_MAX 1024
#define KEYFILE_MAX 4096
#define SIGFILE_MAX 8192
#define REPORT_MAX (512L << 20) /* a report read whole to compare it */

/* Reads the passphrase (first line of standard input; prompt at a terminal)
 * into pw. Returns 0, or -1 after printing why. */
static int read_passphrase(const char *cmd, const char *prompt, char *pw, size_t size)
{
    int r = cli_read_secret(prompt, pw, size);
    if (r == 1)
        fprintf(stderr, "itstrat %s: no passphrase: give it as the first line of standard "
                        "input\n", cmd);
    else if (r == 2)
        fprintf(stderr, "itstrat %s: the passphrase is longer than %zu bytes\n", cmd, size - 2);
    return r ? -1 : 0;
}

/* Reads the whole file at path (at most max bytes) into b. Returns 0, or -1
 * after printing why. */
static int read_file(const char *cmd, const char *path, long max, const char *what, Buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "itstrat %s: cannot read the %s %s: %s\n", cmd, what, path,
                strerror(errno));
        return -1;
    }
    char block[65536];
    size_t got;
    int rc = 0;
    while ((got = fread(block, 1, sizeof block, f)) > 0) {
        if ((long)(b->n + got) > max) {
            fprintf(stderr, "itstrat %s: the %s %s is larger than %ld bytes: not one\n", cmd,
                    what, path, max);
            rc = -1;
            break;
        }
        buf_append(b, block, got);
    }
    if (rc == 0 && ferror(f)) {
        fprintf(stderr, "itstrat %s: cannot read the %s %s\n", cmd, what, path);
        rc = -1;
    }
    fclose(f);
    return rc;
}

/* Writes data to path, which must not exist yet, with mode. Returns 0 or -1
 * after printing why. */
static int write_new(const char *cmd, const char *path, const Buf *data, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    if (fd < 0) {
        fprintf(stderr, "itstrat %s: cannot create %s: %s\n", cmd, path, strerror(errno));
        return -1;
    }
    int ok = write(fd, data->a, data->n) == (ssize_t)data->n;
    if (close(fd) || !ok) {
        fprintf(stderr, "itstrat %s: cannot write %s\n", cmd, path);
        unlink(path);
        return -1;
    }
    return 0;
}

/* Writes data to path through path.tmp and a rename (an old file is
 * replaced whole). */
static int write_replace(const char *cmd, const char *path, const Buf *data)
{
    Buf tmp = BUF_INIT;
    buf_printf(&tmp, "%s.tmp", path);
    unlink(buf_str(&tmp));
    int rc = write_new(cmd, buf_str(&tmp), data, 0644);
    if (rc == 0 && rename(buf_str(&tmp), path)) {
        fprintf(stderr, "itstrat %s: cannot write %s: %s\n", cmd, path, strerror(errno));
        unlink(buf_str(&tmp));
        rc = -1;
    }
    buf_free(&tmp);
    return rc;
}

int cmd_key(const CliCommand *cmd, CliArgs *a)
{
    const char *out = cli_opt(cmd, a, "output"), *signer = cli_opt(cmd, a, "signer");
    if (strcmp(a->pos[0], "new") != 0) {
        fprintf(stderr, "itstrat key: the only subcommand is 'new', not \"%s\"\n", a->pos[0]);
        return EXIT_USAGE;
    }
    if (!out) {
        fprintf(stderr, "itstrat key new: say where with -o NAME (writes NAME.key and "
                        "NAME.pub); keep it outside the database's folder if you can\n");
        return EXIT_USAGE;
    }
    if (!signer) signer = audit_actor()->login;
    if (strpbrk(signer, "\t\r\n") || strlen(signer) > 200) {
        fprintf(stderr, "itstrat key new: --signer must be one line of at most 200 bytes, "
                        "without tabs\n");
        return EXIT_USAGE;
    }
    char pw[PASS_MAX + 2], pw2[PASS_MAX + 2];
    Buf pub = BUF_INIT, sec = BUF_INIT, err = BUF_INIT, pp = BUF_INIT, sp = BUF_INIT, c = BUF_INIT;
    int rc = EXIT_USAGE;
    if (read_passphrase("key new", "passphrase for the new key", pw, sizeof pw)) goto out;
    if (isatty(STDIN_FILENO)) {
        if (read_passphrase("key new", "the same passphrase again", pw2, sizeof pw2)) goto out;
        if (strcmp(pw, pw2) != 0) {
            fprintf(stderr, "itstrat key new: the two passphrases differ; nothing written\n");
            goto out;
        }
    }
    if (strlen(pw) < 8) {
        fprintf(stderr, "itstrat key new: the passphrase must have 8 characters or more\n");
        goto out;
    }
    buf_printf(&pp, "%s.pub", out);
    buf_printf(&sp, "%s.key", out);
    if (access(buf_str(&pp), F_OK) == 0 || access(buf_str(&sp), F_OK) == 0) {
        fprintf(stderr, "itstrat key new: %s or %s exists already; nothing written\n",
                buf_str(&sp), buf_str(&pp));
        goto out;
    }
    buf_printf(&c, "itstrat secret key of %s", signer);
    rc = EXIT_STORE;
    if (minisign_keygen(pw, buf_str(&c), MINISIGN_KDF_OPSLIMIT, MINISIGN_KDF_MEMLIMIT, &pub,
                        &sec, &err)) {
        fprintf(stderr, "itstrat key new: %s", buf_str(&err));
        goto out;
    }
    if (write_new("key new", buf_str(&sp), &sec, 0600)) goto out;
    if (write_new("key new", buf_str(&pp), &pub, 0644)) {
        unlink(buf_str(&sp));
        goto out;
    }
    printf("secret key %s (encrypted with the passphrase; keep it and the passphrase apart)\n"
           "public key %s (give it to whoever checks a signature)\n",
           buf_str(&sp), buf_str(&pp));
    rc = EXIT_OK;
out:
    sodium_memzero(pw, sizeof pw);
    sodium_memzero(pw2, sizeof pw2);
    if (sec.a) sodium_memzero(sec.a, sec.n);
    buf_free(&pub);
    buf_free(&sec);
    buf_free(&err);
    buf_free(&pp);
    buf_free(&sp);
    buf_free(&c);
    return rc;
}

/* The name part of path. */
static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* UTC "YYYY-MM-DDTHH:MM:SSZ" as seconds since 1970 (days from the civil
 * date, no time zone database); -1 when not in that form. */
static long long iso_epoch(const char *iso)
{
    int y, mo, d, h, mi, s;
    if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s) != 6) return -1;
    y -= mo <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400, doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return ((era * 146097 + doe - 719468) * 86400) + h * 3600 + mi * 60 + s;
}

static void epoch_iso(long long t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int cmd_sign(const CliCommand *cmd, CliArgs *a)
{
    const char *file = a->pos[0], *key = cli_opt(cmd, a, "key");
    if (!key) {
        fprintf(stderr, "itstrat sign: say which secret key with --key NAME.key "
                        "('itstrat key new' makes one)\n");
        return EXIT_USAGE;
    }
    Buf sec = BUF_INIT, sig = BUF_INIT, err = BUF_INIT, tc = BUF_INIT, path = BUF_INIT;
    char pw[PASS_MAX + 2] = "";
    unsigned char hash[64];
    int rc = EXIT_STORE;
    if (read_file("sign", key, KEYFILE_MAX, "secret key", &sec)) goto out;
    if (minisign_hash_file(file, hash, &err)) {
        fprintf(stderr, "itstrat sign: %s", buf_str(&err));
        goto out;
    }
    char comment[256], now[21];
    minisign_sec_comment(sec.a, sec.n, comment, sizeof comment);
    const char *signer = strncmp(comment, "itstrat secret key of ", 22) == 0 ? comment + 22 : "";
    if (!*signer) signer = audit_actor()->login;
    audit_now(now);
    buf_printf(&tc, "timestamp:%lld\tfile:%s\thashed\tsigner:%s", iso_epoch(now),
               base_name(file), signer);
    for (size_t i = 0; i < tc.n; i++)
        if (tc.a[i] == '\r' || tc.a[i] == '\n') tc.a[i] = ' ';
    rc = EXIT_USAGE;
    if (read_passphrase("sign", "passphrase of the secret key", pw, sizeof pw)) goto out;
    rc = EXIT_INPUT;
    if (minisign_sign(sec.a, sec.n, pw, hash, buf_str(&tc), &sig, &err)) {
        if (err.n && err.a[err.n - 1] == '\n') buf_truncate(&err, err.n - 1);
        fprintf(stderr, "itstrat sign: %s: %s; nothing written\n", key, buf_str(&err));
        goto out;
    }
    buf_printf(&path, "%s.minisig", file);
    rc = EXIT_STORE;
    if (write_replace("sign", buf_str(&path), &sig)) goto out;
    printf("signed %s by %s at %s: %s\n", file, signer, now, buf_str(&path));
    rc = EXIT_OK;
out:
    sodium_memzero(pw, sizeof pw);
    if (sec.a) sodium_memzero(sec.a, sec.n);
    buf_free(&sec);
    buf_free(&sig);
    buf_free(&err);
    buf_free(&tc);
    buf_free(&path);
    return rc;
}

/* The value of field name ("signer") in a trusted comment of tab-separated
 * name:value fields, into out; "" when absent. */
static void tc_field(const char *tc, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name);
    out[0] = 0;
    for (const char *s = tc; s && *s;) {
        const char *e = strchr(s, '\t');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len > nl && memcmp(s, name, nl) == 0 && s[nl] == ':') {
            snprintf(out, outlen, "%.*s", (int)(len - nl - 1), s + nl + 1);
            return;
        }
        s = e ? e + 1 : NULL;
    }
}

typedef struct Changes {
    int n;
} Changes;

static int print_change(void *ctx, const AuditEntry *e)
{
    Changes *c = ctx;
    if (strcmp(e->entity, "user") == 0 || strcmp(e->entity, "token") == 0) return 0;
    printf("  %s %s %s %s%s%s (audit entry %lld)\n", e->at, e->actor, e->action, e->entity,
           e->entity_key ? " " : "", e->entity_key ? e->entity_key : "", (long long)e->id);
    c->n++;
    return 0;
}

/* Finds the manifest in the bytes of b (PDF keywords, HTML head: as plain
 * text in both) and parses it. Returns 0, or -1 when there is none. */
static int find_manifest(const Buf *b, char *code, size_t codelen, int *year, int *final,
                         char digest[65], char *fmt, size_t fmtlen)
{
    static const char tag[] = "itstrat-manifest/1 strategy=";
    for (size_t i = 0; i + sizeof tag - 1 <= b->n; i++)
        if (memcmp(b->a + i, tag, sizeof tag - 1) == 0) {
            char text[512];
            size_t n = b->n - i < sizeof text - 1 ? b->n - i : sizeof text - 1;
            memcpy(text, b->a + i, n);
            text[n] = 0;
            return report_manifest_parse(text, code, codelen, year, final, digest, fmt, fmtlen);
        }
    return -1;
}

/* With the database: does regenerating the report named by the manifest in
 * data give these bytes? Prints the answer; returns EXIT_OK when identical. */
static int verify_data(const CliCommand *cmd, CliArgs *a, const Buf *data, const char *since)
{
    char code[128], digest[65], fmt[16];
    int year, final;
    if (find_manifest(data, code, sizeof code, &year, &final, digest, fmt, sizeof fmt)) {
        printf("data: the file carries no itstrat manifest: not a report itstrat made\n");
        return EXIT_INPUT;
    }
    int format = strcmp(fmt, "pdf") == 0 ? 'p' : strcmp(fmt, "html") == 0 ? 'h' : 0;
    if (!format) {
        printf("data: the manifest names the format \"%s\", which verify cannot regenerate\n",
               fmt);
        return EXIT_INPUT;
    }
    Db *db;
    if (cli_open_db(cmd, a, DB_OPEN_READONLY, &db)) return EXIT_STORE;
    Store s;
    store_init(&s, db);
    int64_t sid = store_strategy_id(&s, code);
    store_done(&s);
    int rc = EXIT_INPUT;
    ReportOut out = {BUF_INIT, NULL, 0};
    Buf err = BUF_INIT;
    if (sid <= 0) {
        printf("data: the report is of strategy %s, which %s does not hold\n", code, db_path(db));
        goto out;
    }
    int r = report_generate(db, sid, year, final, format, "report", &out, &err);
    if (r != RDATA_OK) {
        printf("data: the report of %s %d cannot be made from %s: %s", code, year, db_path(db),
               buf_str(&err));
        goto out;
    }
    if (out.main.n == data->n && memcmp(out.main.a, data->a, data->n) == 0) {
        printf("data: regenerated from %s (strategy %s, %d%s, %s): exactly these bytes\n",
               db_path(db), code, year, final ? " final" : "", fmt);
        rc = EXIT_OK;
        goto out;
    }
    char now_code[128], now_digest[65], now_fmt[16];
    int ny, nf;
    int same_data = find_manifest(&out.main, now_code, sizeof now_code, &ny, &nf, now_digest,
                                  now_fmt, sizeof now_fmt) == 0 &&
                    strcmp(now_digest, digest) == 0;
    if (same_data) {
        printf("data: NOT these bytes, although the data are the same as when the report was "
               "made: the file was edited, or made by another version of itstrat\n");
        goto out;
    }
    printf("data: NOT these bytes: the data of strategy %s changed since the report was made\n",
           code);
    if (since) {
        AuditFilter f = {.since = since};
        Changes c = {0};
        printf("changes recorded since the signature (%s):\n", since);
        if (audit_list(db, &f, print_change, &c)) printf("  (the audit trail cannot be read)\n");
        else if (!c.n) printf("  none in the audit trail (changed behind itstrat's back?)\n");
    }
out:
    report_out_free(&out);
    buf_free(&err);
    db_close(db);
    return rc;
}

int cmd_verify(const CliCommand *cmd, CliArgs *a)
{
    const char *file = a->pos[0], *pubp = cli_opt(cmd, a, "pub"), *sigp = cli_opt(cmd, a, "sig");
    if (!pubp) {
        fprintf(stderr, "itstrat verify: say whose public key with --pub NAME.pub\n");
        return EXIT_USAGE;
    }
    Buf pubt = BUF_INIT, sigt = BUF_INIT, err = BUF_INIT, path = BUF_INIT, data = BUF_INIT;
    MinisignPub pub;
    MinisignSig *sig = xcalloc(1, sizeof *sig);
    unsigned char hash[64];
    int rc = EXIT_STORE;
    if (sigp) buf_puts(&path, sigp);
    else buf_printf(&path, "%s.minisig", file);
    if (read_file("verify", pubp, KEYFILE_MAX, "public key", &pubt) ||
        read_file("verify", buf_str(&path), SIGFILE_MAX, "signature", &sigt))
        goto out;
    rc = EXIT_INPUT;
    if (minisign_parse_pub(pubt.a, pubt.n, &pub, &err)) {
        fprintf(stderr, "itstrat verify: %s: %s", pubp, buf_str(&err));
        goto out;
    }
    if (minisign_parse_sig(sigt.a, sigt.n, sig, &err)) {
        fprintf(stderr, "itstrat verify: %s: %s", buf_str(&path), buf_str(&err));
        goto out;
    }
    rc = EXIT_STORE;
    if (minisign_hash_file(file, hash, &err)) {
        fprintf(stderr, "itstrat verify: %s", buf_str(&err));
        goto out;
    }
    rc = EXIT_INPUT;
    if (minisign_verify(&pub, sig, hash, &err)) {
        printf("signature: BAD: %s", buf_str(&err));
        goto out;
    }
    char id[17], signer[256], ts[32], when[21] = "";
    minisign_key_id(pub.key_id, id);
    tc_field(sig->trusted, "signer", signer, sizeof signer);
    tc_field(sig->trusted, "timestamp", ts, sizeof ts);
    char *end = NULL;
    long long t = strtoll(ts, &end, 10);
    if (*ts && end && !*end && t > 0) epoch_iso(t, when);
    printf("signature: good, key %s\nsigned by: %s\nsigned at: %s\ntrusted comment: %s\n", id,
           *signer ? signer : "(not named)", *when ? when : "(no time)", sig->trusted);
    rc = EXIT_OK;
    if (cli_opt(cmd, a, "db")) {
        if (read_file("verify", file, REPORT_MAX, "report", &data)) {
            rc = EXIT_STORE;
            goto out;
        }
        rc = verify_data(cmd, a, &data, *when ? when : NULL);
    }
out:
    fflush(stdout);
    buf_free(&pubt);
    buf_free(&sigt);
    buf_free(&err);
    buf_free(&path);
    buf_free(&data);
    free(sig);
    return rc;
}
