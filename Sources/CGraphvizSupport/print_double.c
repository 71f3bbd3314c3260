/* gvprintdouble without printf (see include/linkage_print_double.h). */
#define _GNU_SOURCE
#include "linkage_print_double.h"

#include <graphviz/gvc.h>
#include <graphviz/gvcjob.h>

#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* libgvc's, not in its public headers (lib/gvc/gvio.h). */
extern size_t gvwrite(GVJ_t *job, const char *s, size_t len);

/* Graphviz 2.43's gvprintdouble zeroes values strictly between these before formatting. */
static const double near_zero = 1e-08;

/* snprintf("%.02f") trimmed as gvprintdouble trims: trailing zeros after the point, then the
 * point if nothing follows it. */
size_t linkage_format_double_reference(double value, char *out) {
    if (value > -near_zero && value < near_zero) value = 0.0;
    char buffer[50]; /* libgvc's size: longer texts are cut as there */
    snprintf(buffer, sizeof buffer, "%.02f", value);
    char *point = strchr(buffer, '.');
    if (point) {
        char *end = point + strlen(point);
        while (end > point + 1 && end[-1] == '0') *--end = 0;
        if (end == point + 1) *point = 0;
    }
    size_t length = strlen(buffer);
    memcpy(out, buffer, length);
    return length;
}

size_t linkage_format_double(double value, char *out) {
    if (value > -near_zero && value < near_zero) value = 0.0;
    double magnitude = fabs(value);
    /* 2^52 and beyond, NaN and infinities: not handled here (rare). */
    if (!(magnitude < 4503599627370496.0)) return 0;
    /* magnitude = mantissa * 2^-shift exactly; hundredths = mantissa * 100 / 2^shift, rounded to
     * nearest with ties to even, as glibc rounds the exact value in the default mode. */
    uint64_t hundredths = 0;
    if (magnitude != 0) {
        int exponent;
        double fraction = frexp(magnitude, &exponent); /* magnitude = fraction * 2^exponent */
        uint64_t mantissa = (uint64_t)ldexp(fraction, 53);
        int shift = 53 - exponent; /* > 0: magnitude < 2^52 */
        if (shift < 64) {
            uint64_t scaled = mantissa * 100; /* < 2^60 */
            hundredths = scaled >> shift;
            uint64_t remainder = scaled & ((UINT64_C(1) << shift) - 1), half = UINT64_C(1) << (shift - 1);
            if (remainder > half || (remainder == half && (hundredths & 1))) hundredths++;
        } /* else the value is below 2^-10 and above 1e-8: it rounds to 0 hundredths */
    }
    char digits[32];
    int count = 0;
    uint64_t whole = hundredths / 100;
    do {
        digits[count++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    size_t length = 0;
    if (value < 0) out[length++] = '-';
    while (count) out[length++] = digits[--count];
    unsigned cents = (unsigned)(hundredths % 100);
    if (cents) {
        out[length++] = '.';
        out[length++] = (char)('0' + cents / 10);
        if (cents % 10) out[length++] = (char)('0' + cents % 10);
    }
    return length;
}

static unsigned long long printed;

unsigned long long linkage_fast_doubles_printed(void) { return printed; }

/* Called with the Graphviz lock held, as every Graphviz function (Graphviz.swift). */
void gvprintdouble(GVJ_t *job, double num) {
    static int decided, fast;
    static void (*library)(GVJ_t *, double);
    if (!decided) {
        decided = 1;
        library = (void (*)(GVJ_t *, double))dlsym(RTLD_NEXT, "gvprintdouble");
        const char *version = job && job->gvc ? gvcVersion(job->gvc) : NULL;
        fast = version && strcmp(version, "2.43.0") == 0;
    }
    char text[64];
    size_t length = fast ? linkage_format_double(num, text) : 0;
    if (length > 0) {
        printed++;
    } else if (library) {
        library(job, num);
        return;
    } else {
        length = linkage_format_double_reference(num, text);
    }
    gvwrite(job, text, length);
}
