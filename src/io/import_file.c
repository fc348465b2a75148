/* import_file.c — opening the file of an import (import.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import.h"

int import_open(const char *path, const char *what, const char *advice, Buf *msgs,
                size_t *size)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK); /* a FIFO must not block the open */
    if (fd < 0) {
        buf_printf(msgs, "%s: cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        buf_printf(msgs, "%s: not a regular file\n", path);
        close(fd);
        return -1;
    }
    if ((size_t)sb.st_size > IMPORT_MAX_BYTES) {
        buf_printf(msgs, "%s: the file is %.1f MiB; itstrat imports %s of up to %zu MiB (%s)\n",
                   path, (double)sb.st_size / (1 << 20), what, IMPORT_MAX_BYTES >> 20, advice);
        close(fd);
        return -1;
    }
    *size = (size_t)sb.st_size;
    return fd;
}
