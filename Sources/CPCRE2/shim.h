// PCRE2 needs its code unit width before the header: ids are matched as UTF-8.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
