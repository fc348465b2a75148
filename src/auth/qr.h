/*
 * qr.h — the enrolment QR code of an otpauth:// URI as inline SVG.
 */
#ifndef ITSTRAT_QR_H
#define ITSTRAT_QR_H

#include "buf.h"

#define QR_QUIET_ZONE 4 /* light modules around the symbol (ISO/IEC 18004) */

/* Appends to b an <svg> element drawing text as a QR code (libqrencode,
 * error correction level M, byte mode): a white background with a quiet
 * zone of QR_QUIET_ZONE modules and every dark module in one <path>, rows
 * of adjacent modules merged. The element has role="img", a <title> with
 * title (escaped; e.g. "QR code to add itstrat to an authenticator app")
 * and scales with its container (viewBox in modules, width/height in
 * pixels of size px per module when px > 0). Returns 0, or -1 when text
 * cannot be encoded (too long: more than about 2300 bytes) with nothing
 * appended. */
int qr_svg(Buf *b, const char *text, const char *title, int px);

#endif
