/*
 * qr.c — QR code to SVG (qr.h), through libqrencode.
 */
#include "qr.h"

#include <qrencode.h>

#include "html.h"

int qr_svg(Buf *b, const char *text, const char *title, int px)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return -1;
    int w = q->width, size = w + 2 * QR_QUIET_ZONE;
    html_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\"", size, size);
    if (px > 0) html_printf(b, " width=\"%d\" height=\"%d\"", size * px, size * px);
    html_printf(b, " role=\"img\" shape-rendering=\"crispEdges\"><title>%s</title>"
                   "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                title, size, size);
    for (int y = 0; y < w; y++) {
        const unsigned char *row = q->data + (size_t)y * (size_t)w;
        for (int x = 0; x < w;) {
            if (!(row[x] & 1)) { /* bit 0: dark module */
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (row[x + run] & 1)) run++;
            html_printf(b, "M%d %dh%dv1h-%dz", x + QR_QUIET_ZONE, y + QR_QUIET_ZONE, run, run);
            x += run;
        }
    }
    html_lit(b, "\"/></svg>");
    QRcode_free(q);
    return 0;
}
