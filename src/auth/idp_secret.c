/*
 * idp_secret.c — sealing client secrets with a key file (idp_secret.h).
 */
#include "idp_secret.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"

/* The key file's path for db_path into p. */
static void key_path(const char *db_path, Buf *p)
{
    const char *env = getenv("ITSTRAT_IDP_KEY_FILE");
    if (env && *env) buf_puts(p, env);
    else buf_printf(p, "%s.key", db_path);
}

/* Reads (or, with create, makes) the key. 0, or -1 with err. */
static int key_load(const char *db_path, int create, unsigned char key[32], Buf *err)
{
    Buf p = BUF_INIT;
    int rc = -1;
    key_path(db_path, &p);
    int fd = open(buf_str(&p), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        fd = open(buf_str(&p), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            buf_printf(err, "%s: cannot create the key file: %s", buf_str(&p), strerror(errno));
            goto out;
        }
        randombytes_buf(key, 32);
        if (write(fd, key, 32) != 32 || close(fd) != 0) {
            buf_printf(err, "%s: cannot write the key file", buf_str(&p));
            unlink(buf_str(&p));
            goto out;
        }
        rc = 0;
        goto out;
    }
    if (fd < 0) {
        buf_printf(err, "%s: cannot read the key file of the identity providers' secrets: %s",
                   buf_str(&p), strerror(errno));
        goto out;
    }
    ssize_t n = read(fd, key, 32);
    close(fd);
    if (n != 32) {
        buf_printf(err, "%s: the key file must hold 32 bytes", buf_str(&p));
        goto out;
    }
    rc = 0;
out:
    buf_free(&p);
    return rc;
}

int idp_secret_seal(const char *db_path, const char *secret, Buf *out, Buf *err)
{
    unsigned char key[32];
    if (key_load(db_path, 1, key, err)) return -1;
    size_t n = strlen(secret);
    size_t boxed = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    unsigned char *b = xmalloc(boxed);
    randombytes_buf(b, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(b + crypto_secretbox_NONCEBYTES, (const unsigned char *)secret, n, b,
                          key);
    size_t tn = sodium_base64_ENCODED_LEN(boxed, sodium_base64_VARIANT_ORIGINAL);
    char *t = xmalloc(tn);
    sodium_bin2base64(t, tn, b, boxed, sodium_base64_VARIANT_ORIGINAL);
    buf_printf(out, "v1:%s", t);
    free(t);
    free(b);
    sodium_memzero(key, sizeof key);
    return 0;
}

int idp_secret_open(const char *db_path, const char *sealed, Buf *out, Buf *err)
{
    unsigned char key[32];
    int rc = -1;
    if (strncmp(sealed, "v1:", 3) != 0) {
        buf_printf(err, "the stored client secret is not sealed (v1:)");
        return -1;
    }
    if (key_load(db_path, 0, key, err)) return -1;
    size_t n = strlen(sealed + 3), len = 0;
    unsigned char *b = xmalloc(n + 1), *plain = NULL;
    if (sodium_base642bin(b, n + 1, sealed + 3, n, NULL, &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        buf_printf(err, "the stored client secret is damaged");
        goto out;
    }
    size_t pn = len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    plain = xmalloc(pn + 1);
    if (crypto_secretbox_open_easy(plain, b + crypto_secretbox_NONCEBYTES,
                                   len - crypto_secretbox_NONCEBYTES, b, key) != 0) {
        buf_printf(err, "the stored client secret does not open with this key file "
                        "(another key?)");
        goto out;
    }
    plain[pn] = 0;
    buf_puts(out, (const char *)plain);
    sodium_memzero(plain, pn);
    rc = 0;
out:
    free(plain);
    free(b);
    sodium_memzero(key, sizeof key);
    return rc;
}
